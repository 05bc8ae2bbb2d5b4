import { ApiError, readErrorResponse } from '../../lib/api-error';
import {
  explainMfaCodeError,
  explainPasswordResetError,
  explainSignInError,
  WRONG_MFA_CODE_MESSAGE,
} from './cognito-errors';

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
  | { kind: 'newPasswordRequired'; username: string; session: string }
  /** The user has an authenticator app and must enter its current code. */
  | { kind: 'mfaRequired'; username: string; session: string };

/** Whether the signed-in user signs in with a code from an authenticator app (TOTP). */
export interface MfaStatus {
  isEnabled: boolean;
}

interface AuthenticationResult {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

interface GetUserResponse {
  UserMFASettingList?: string[];
}

interface InitiateAuthResponse {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AuthenticationResult?: AuthenticationResult;
}

export type CognitoClient = ReturnType<typeof createCognitoClient>;

const INVALID_CODE_MESSAGE = 'Invalid verification code provided, please try again.';
const SOFTWARE_TOKEN_MFA = 'SOFTWARE_TOKEN_MFA';

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

  const setSoftwareTokenMfa = async (accessToken: string, isEnabled: boolean): Promise<void> => {
    await call('SetUserMFAPreference', {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: isEnabled, PreferredMfa: isEnabled },
    });
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
      const challengeUser = response.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
      if (response.ChallengeName === 'NEW_PASSWORD_REQUIRED' && response.Session) {
        return { kind: 'newPasswordRequired', username: challengeUser, session: response.Session };
      }
      if (response.ChallengeName === SOFTWARE_TOKEN_MFA && response.Session) {
        return { kind: 'mfaRequired', username: challengeUser, session: response.Session };
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

    /** Responds to the `SOFTWARE_TOKEN_MFA` challenge with the current code of the user's app. */
    answerMfaChallenge: async (input: {
      username: string;
      session: string;
      code: string;
    }): Promise<CognitoTokens> => {
      const response = await call<InitiateAuthResponse>('RespondToAuthChallenge', {
        ChallengeName: SOFTWARE_TOKEN_MFA,
        ClientId: options.clientId,
        Session: input.session,
        ChallengeResponses: {
          USERNAME: input.username,
          SOFTWARE_TOKEN_MFA_CODE: input.code.trim(),
        },
      }).catch((error: unknown) => {
        throw explainMfaCodeError(error);
      });
      return toTokens(response.AuthenticationResult);
    },

    /** Reads whether the user behind `accessToken` signs in with an authenticator app. */
    getMfaStatus: async (accessToken: string): Promise<MfaStatus> => {
      const user = await call<GetUserResponse>('GetUser', { AccessToken: accessToken });
      return { isEnabled: (user.UserMFASettingList ?? []).includes(SOFTWARE_TOKEN_MFA) };
    },

    /**
     * Starts adding an authenticator app: Cognito creates a new TOTP secret, which the app
     * reads from a QR code or as text. Sign-in does not change until `confirmMfaSetup`.
     */
    startMfaSetup: async (accessToken: string): Promise<{ secret: string }> => {
      const response = await call<{ SecretCode?: string }>('AssociateSoftwareToken', {
        AccessToken: accessToken,
      });
      if (!response.SecretCode) throw new Error('Cognito returned no authenticator secret.');
      return { secret: response.SecretCode };
    },

    /**
     * Checks a code from the new authenticator app, then makes the app the user's second
     * sign-in step.
     */
    confirmMfaSetup: async (input: {
      accessToken: string;
      code: string;
      deviceName: string;
    }): Promise<void> => {
      const verified = await call<{ Status?: string }>('VerifySoftwareToken', {
        AccessToken: input.accessToken,
        UserCode: input.code.trim(),
        FriendlyDeviceName: input.deviceName,
      }).catch((error: unknown) => {
        throw explainMfaCodeError(error);
      });
      if (verified.Status !== 'SUCCESS') {
        throw new ApiError(400, 'WRONG_MFA_CODE', WRONG_MFA_CODE_MESSAGE);
      }
      await setSoftwareTokenMfa(input.accessToken, true);
    },

    /** Turns the authenticator app off, so sign-in requires the password only. */
    disableMfa: (accessToken: string): Promise<void> => setSoftwareTokenMfa(accessToken, false),

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
