import { ApiError, readErrorResponse } from '../../lib/api-error';
import { explainPasswordResetError, explainSignInError } from './cognito-errors';

/** Tokens from a successful sign-in or refresh. */
export interface CognitoTokens {
  idToken: string;
  accessToken: string;
  /** Absent after a refresh, which keeps the refresh token it was given. */
  refreshToken: string | undefined;
  expiresInSeconds: number;
}

export type SignInResult =
  | { kind: 'signedIn'; tokens: CognitoTokens }
  /** The user signs in with a temporary password and must choose a new one. */
  | { kind: 'newPasswordRequired'; username: string; session: string };

interface AuthenticationResult {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

interface InitiateAuthResponse {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AuthenticationResult?: AuthenticationResult;
}

export type CognitoClient = ReturnType<typeof createCognitoClient>;

const INVALID_CODE_MESSAGE = 'Invalid verification code provided, please try again.';

/** Trims and lower-cases an email, because the pool stores emails that way. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates a client for Cognito's JSON API, called from the browser with `fetch`. Only the
 * public app-client operations are used, so no AWS credentials are involved. Failures throw
 * an `ApiError` carrying Cognito's exception name and message.
 */
export function createCognitoClient(options: { endpoint: string; clientId: string }) {
  const call = async <T>(operation: string, body: Record<string, unknown>): Promise<T> => {
    const response = await fetch(options.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await readErrorResponse(response);
    return (await response.json()) as T;
  };

  return {
    /** Signs in with `USER_PASSWORD_AUTH` after normalizing the email. */
    signIn: async (email: string, password: string): Promise<SignInResult> => {
      const username = normalizeEmail(email);
      const response = await call<InitiateAuthResponse>('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: options.clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }).catch((error: unknown) => {
        throw explainSignInError(error);
      });
      if (response.ChallengeName === 'NEW_PASSWORD_REQUIRED' && response.Session) {
        return {
          kind: 'newPasswordRequired',
          username: response.ChallengeParameters?.USER_ID_FOR_SRP ?? username,
          session: response.Session,
        };
      }
      if (response.ChallengeName) {
        throw new Error(`Sign-in needs the unsupported challenge ${response.ChallengeName}.`);
      }
      return { kind: 'signedIn', tokens: toTokens(response.AuthenticationResult) };
    },

    /** Answers `NEW_PASSWORD_REQUIRED` with the user's new password. */
    setNewPassword: async (input: {
      username: string;
      session: string;
      newPassword: string;
    }): Promise<CognitoTokens> => {
      const response = await call<InitiateAuthResponse>('RespondToAuthChallenge', {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ClientId: options.clientId,
        Session: input.session,
        ChallengeResponses: { USERNAME: input.username, NEW_PASSWORD: input.newPassword },
      });
      return toTokens(response.AuthenticationResult);
    },

    /** Gets new ID and access tokens with `REFRESH_TOKEN_AUTH`. */
    refresh: async (refreshToken: string): Promise<CognitoTokens> => {
      const response = await call<InitiateAuthResponse>('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: options.clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
      return toTokens(response.AuthenticationResult);
    },

    /**
     * Starts a password reset: Cognito emails a verification code to the user. An unknown
     * email succeeds as well, as it does in AWS, where the pool hides whether a user exists.
     */
    requestPasswordReset: async (email: string): Promise<void> => {
      try {
        await call('ForgotPassword', {
          ClientId: options.clientId,
          Username: normalizeEmail(email),
        });
      } catch (error) {
        // Only cognito-local reports unknown users here.
        if (error instanceof ApiError && error.code === 'UserNotFoundException') return;
        throw explainPasswordResetError(error);
      }
    },

    /** Sets a new password with the verification code that `requestPasswordReset` sent. */
    confirmPasswordReset: async (input: {
      email: string;
      code: string;
      newPassword: string;
    }): Promise<void> => {
      await call('ConfirmForgotPassword', {
        ClientId: options.clientId,
        Username: normalizeEmail(input.email),
        ConfirmationCode: input.code.trim(),
        Password: input.newPassword,
      }).catch((error: unknown) => {
        // A pool that prevents user existence errors does not reveal an unknown user here, so
        // the SPA reports cognito-local's UserNotFoundException as a wrong code as well.
        if (error instanceof ApiError && error.code === 'UserNotFoundException') {
          throw new ApiError(error.status, 'CodeMismatchException', INVALID_CODE_MESSAGE, {
            cause: error,
          });
        }
        throw error;
      });
    },

    /** Revokes a refresh token, so a copy of it can no longer get new tokens. */
    revoke: async (refreshToken: string): Promise<void> => {
      await call('RevokeToken', { ClientId: options.clientId, Token: refreshToken });
    },
  };
}

function toTokens(result: AuthenticationResult | undefined): CognitoTokens {
  if (!result?.IdToken || !result.AccessToken) {
    throw new Error('Cognito returned no tokens.');
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
    expiresInSeconds: result.ExpiresIn ?? 3600,
  };
}
