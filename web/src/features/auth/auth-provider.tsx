import {
  createContext,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { RuntimeConfig } from '../../config/runtime-config';
import { type ApiClient, createApiClient, type Me } from '../../lib/api-client';
import { ApiContext } from '../../lib/api-context';
import { ApiError, toApiError } from '../../lib/api-error';
import { type CognitoTokens, createCognitoClient, type MfaStatus } from './cognito-client';
import { clearRefreshToken, readRefreshToken, storeRefreshToken } from './refresh-token-storage';

export type AuthState =
  | { status: 'restoring' }
  /** `email` is the sign-in that a challenge step went back from, to fill in again. */
  | { status: 'signedOut'; notice: string | null; email?: string }
  | { status: 'newPasswordRequired'; username: string }
  | { status: 'mfaRequired'; username: string }
  | { status: 'signedIn'; me: Me };

export interface AuthContextValue {
  state: AuthState;
  /** Signs in, or throws an `ApiError` with Cognito's or the API's message. */
  signIn: (email: string, password: string) => Promise<void>;
  /** Responds to the new-password challenge of the last `signIn`. */
  setNewPassword: (newPassword: string) => Promise<void>;
  /** Responds to the authenticator-code challenge of the last `signIn`. */
  answerMfa: (code: string) => Promise<void>;
  /** The signed-in user's authenticator app (TOTP), their second sign-in step. */
  mfa: {
    getStatus: () => Promise<MfaStatus>;
    /** Creates a new secret for an app to add. Sign-in does not change yet. */
    startSetup: () => Promise<{ secret: string }>;
    /** Checks the app's current code and turns the second step on. */
    confirmSetup: (code: string) => Promise<void>;
    /**
     * Signs in again with the password and a current code, then turns the app off. The new
     * tokens replace the session's, and the old refresh token is revoked.
     */
    disable: (input: { password: string; code: string }) => Promise<void>;
  };
  /** Forgets the tokens, here and in `sessionStorage`, and revokes the refresh token. */
  signOut: (notice?: string) => void;
  /** Reads `GET /v1/me` again, such as after an AI call changed the balance. */
  refreshMe: () => Promise<void>;
  /** Asks Cognito to email a password reset code. Succeeds for unknown emails too. */
  requestPasswordReset: (email: string) => Promise<void>;
  /** Sets a new password with the emailed code. The user then signs in with it. */
  confirmPasswordReset: (input: {
    email: string;
    code: string;
    newPassword: string;
  }) => Promise<void>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

/** Tokens kept in memory only. The refresh token is also stored in `sessionStorage`. */
interface SessionTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch milliseconds at which the ID and access tokens expire. */
  expiresAt: number;
}

/** Tokens are refreshed this long before they expire, so a request never carries a stale one. */
const REFRESH_MARGIN_MS = 60_000;
const SESSION_ENDED_NOTICE = 'Your session has ended. Sign in again.';
const SIGN_IN_EXPIRED_MESSAGE = 'This sign-in has expired. Go back and sign in again.';
/** The name Cognito keeps for the app, shown as `FRIENDLY_DEVICE_NAME` at sign-in. */
const MFA_DEVICE_NAME = 'Authenticator app';

export interface AuthProviderProps {
  config: RuntimeConfig;
  children: ReactNode;
}

/**
 * Owns the sign-in state and the tokens, and provides the API client to the signed-in
 * screens. A stored refresh token restores the session after a reload.
 */
export function AuthProvider({ config, children }: AuthProviderProps) {
  const [state, setState] = useState<AuthState>({ status: 'restoring' });
  const tokensRef = useRef<SessionTokens | null>(null);
  const refreshingRef = useRef<Promise<SessionTokens> | null>(null);
  const challengeRef = useRef<{ username: string; session: string; email: string } | null>(null);
  const hasRestoreStarted = useRef(false);

  const cognito = useMemo(
    () =>
      createCognitoClient({ endpoint: config.cognitoEndpoint, clientId: config.userPoolClientId }),
    [config],
  );

  const signOut = useCallback(
    (notice?: string) => {
      const refreshToken = tokensRef.current?.refreshToken ?? readRefreshToken();
      const challengeEmail = challengeRef.current?.email;
      tokensRef.current = null;
      challengeRef.current = null;
      clearRefreshToken();
      // Revocation is best effort: the tokens are gone from this tab either way.
      if (refreshToken) cognito.revoke(refreshToken).catch(() => undefined);
      setState({
        status: 'signedOut',
        notice: notice ?? null,
        ...(challengeEmail && { email: challengeEmail }),
      });
    },
    [cognito],
  );

  const keepTokens = useCallback((tokens: CognitoTokens, previousRefreshToken?: string) => {
    const refreshToken = tokens.refreshToken ?? previousRefreshToken;
    const kept: SessionTokens = {
      idToken: tokens.idToken,
      accessToken: tokens.accessToken,
      refreshToken,
      expiresAt: Date.now() + tokens.expiresInSeconds * 1000,
    };
    tokensRef.current = kept;
    if (refreshToken) storeRefreshToken(refreshToken);
    return kept;
  }, []);

  const refreshTokens = useCallback((): Promise<SessionTokens> => {
    if (refreshingRef.current) return refreshingRef.current;
    const refreshToken = tokensRef.current?.refreshToken;
    if (!refreshToken) {
      return Promise.reject(new ApiError(401, 'UNAUTHENTICATED', SESSION_ENDED_NOTICE));
    }
    const refreshing = cognito
      .refresh(refreshToken)
      .then((tokens) => keepTokens(tokens, refreshToken))
      .catch((error: unknown) => {
        signOut(SESSION_ENDED_NOTICE);
        throw error;
      })
      .finally(() => {
        refreshingRef.current = null;
      });
    refreshingRef.current = refreshing;
    return refreshing;
  }, [cognito, keepTokens, signOut]);

  /** Returns tokens that are valid for at least `REFRESH_MARGIN_MS`, refreshed if needed. */
  const currentTokens = useCallback(async (): Promise<SessionTokens> => {
    const tokens = tokensRef.current;
    if (!tokens) throw new ApiError(401, 'UNAUTHENTICATED', SESSION_ENDED_NOTICE);
    if (Date.now() < tokens.expiresAt - REFRESH_MARGIN_MS) return tokens;
    return refreshTokens();
  }, [refreshTokens]);

  /** Signs the caller in once more, to confirm a change that weakens their sign-in. */
  const signInAgain = useCallback(
    async (email: string, password: string, code: string): Promise<CognitoTokens> => {
      const result = await cognito.signIn(email, password).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'WRONG_CREDENTIALS') {
          throw new ApiError(error.status, 'WRONG_PASSWORD', 'Incorrect password.', {
            cause: error,
          });
        }
        throw error;
      });
      if (result.kind === 'signedIn') return result.tokens;
      if (result.kind === 'mfaRequired') {
        return cognito.answerMfaChallenge({ ...result, code });
      }
      throw new ApiError(400, 'NEW_PASSWORD_REQUIRED', SESSION_ENDED_NOTICE);
    },
    [cognito],
  );

  const api: ApiClient = useMemo(
    () =>
      createApiClient({
        baseUrl: config.apiBaseUrl,
        getIdToken: async () => (await currentTokens()).idToken,
        onUnauthenticated: () => signOut(SESSION_ENDED_NOTICE),
      }),
    [config, currentTokens, signOut],
  );

  /** Keeps new tokens and loads the caller. On failure nothing of the session is kept. */
  const startSession = useCallback(
    async (tokens: CognitoTokens, previousRefreshToken?: string) => {
      keepTokens(tokens, previousRefreshToken);
      try {
        const me = await api.getMe();
        setState({ status: 'signedIn', me });
      } catch (error) {
        tokensRef.current = null;
        clearRefreshToken();
        throw error;
      }
    },
    [api, keepTokens],
  );

  useEffect(() => {
    // StrictMode runs effects twice in development, but one refresh is enough.
    if (hasRestoreStarted.current) return;
    hasRestoreStarted.current = true;
    const refreshToken = readRefreshToken();
    if (!refreshToken) {
      setState({ status: 'signedOut', notice: null });
      return;
    }
    cognito
      .refresh(refreshToken)
      .then((tokens) => startSession(tokens, refreshToken))
      .catch((reason: unknown) => {
        const error = toApiError(reason);
        // A rejected token ends the session, but an unreachable server is no reason to forget it.
        if (error.code !== 'NETWORK_ERROR') clearRefreshToken();
        setState({
          status: 'signedOut',
          notice: `Your session could not be restored: ${error.message}`,
        });
      });
  }, [cognito, startSession]);

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      signIn: async (email, password) => {
        const result = await cognito.signIn(email, password);
        if (result.kind !== 'signedIn') {
          challengeRef.current = { username: result.username, session: result.session, email };
          setState({ status: result.kind, username: result.username });
          return;
        }
        await startSession(result.tokens);
      },
      setNewPassword: async (newPassword) => {
        const challenge = challengeRef.current;
        if (!challenge) throw new ApiError(400, 'NO_CHALLENGE', SIGN_IN_EXPIRED_MESSAGE);
        const tokens = await cognito.setNewPassword({ ...challenge, newPassword });
        challengeRef.current = null;
        await startSession(tokens);
      },
      answerMfa: async (code) => {
        const challenge = challengeRef.current;
        if (!challenge) throw new ApiError(400, 'NO_CHALLENGE', SIGN_IN_EXPIRED_MESSAGE);
        // NOTE: cognito-local accepts another code in the same challenge session after a
        // wrong one. Whether Cognito in AWS does is not verified; if not, the user gets
        // SIGN_IN_EXPIRED and signs in again.
        const tokens = await cognito.answerMfaChallenge({ ...challenge, code });
        challengeRef.current = null;
        await startSession(tokens);
      },
      mfa: {
        getStatus: async () => cognito.getMfaStatus((await currentTokens()).accessToken),
        startSetup: async () => cognito.startMfaSetup((await currentTokens()).accessToken),
        confirmSetup: async (code) =>
          cognito.confirmMfaSetup({
            accessToken: (await currentTokens()).accessToken,
            code,
            deviceName: MFA_DEVICE_NAME,
          }),
        disable: async ({ password, code }) => {
          if (state.status !== 'signedIn') {
            throw new ApiError(401, 'UNAUTHENTICATED', SESSION_ENDED_NOTICE);
          }
          const tokens = await signInAgain(state.me.email, password, code);
          await cognito.disableMfa(tokens.accessToken);
          const previousRefreshToken = tokensRef.current?.refreshToken;
          keepTokens(tokens);
          if (previousRefreshToken && previousRefreshToken !== tokens.refreshToken) {
            cognito.revoke(previousRefreshToken).catch(() => undefined);
          }
        },
      },
      signOut,
      requestPasswordReset: (email) => cognito.requestPasswordReset(email),
      confirmPasswordReset: (input) => cognito.confirmPasswordReset(input),
      refreshMe: async () => {
        const me = await api.getMe();
        setState((current) =>
          current.status === 'signedIn' ? { status: 'signedIn', me } : current,
        );
      },
    }),
    [state, cognito, startSession, signOut, api, currentTokens, keepTokens, signInAgain],
  );

  return (
    <AuthContext.Provider value={value}>
      <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
    </AuthContext.Provider>
  );
}
