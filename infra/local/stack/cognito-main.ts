/**
 * Command-line entry that runs cognito-local with two changes that make it behave as
 * Cognito does in AWS for the SPA's flows:
 * - `RespondToAuthChallenge` keeps the refresh token it returns, as `InitiateAuth` does, so
 *   a session that signed in with a new password or an authenticator code can refresh.
 * - `AdminSetUserMFAPreference`, which cognito-local 5.3 lacks, turns a user's MFA methods
 *   on or off the way its `SetUserMFAPreference` does for the signed-in user.
 *
 * Run: node --import tsx infra/local/stack/cognito-main.ts STATE_DIR
 * STATE_DIR contains `.cognito/config.json`. `HOST` and `PORT` come from the environment.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface CognitoUser {
  Username: string;
  UserMFASettingList?: string[];
  PreferredMfaSetting?: string;
  SoftwareTokenMfaConfiguration?: { Verified?: boolean };
  [attribute: string]: unknown;
}

interface UserPool {
  getUserByUsername(ctx: unknown, username: string): Promise<CognitoUser | null>;
  saveUser(ctx: unknown, user: CognitoUser): Promise<void>;
  storeRefreshToken(ctx: unknown, refreshToken: string, user: CognitoUser): Promise<void>;
}

interface Services {
  cognito: {
    getUserPool(ctx: unknown, userPoolId: string): Promise<UserPool>;
    getUserPoolForClientId(ctx: unknown, clientId: string): Promise<UserPool>;
  };
}

type Target = (services: Services) => (ctx: unknown, request: never) => Promise<unknown>;

interface MfaSettings {
  Enabled?: boolean;
  PreferredMfa?: boolean;
}

const { Targets } = require('cognito-local/lib/targets/targets.js') as {
  Targets: Record<string, Target>;
};
const errors = require('cognito-local/lib/errors.js') as {
  InvalidParameterError: new (message?: string) => Error;
  UserNotFoundError: new (message?: string) => Error;
};

const respondToAuthChallenge = Targets.RespondToAuthChallenge;
if (!respondToAuthChallenge) throw new Error('cognito-local has no RespondToAuthChallenge');

Targets.RespondToAuthChallenge = (services) => {
  const respond = respondToAuthChallenge(services);
  return async (ctx, request: { ClientId: string; ChallengeResponses?: { USERNAME?: string } }) => {
    const response = (await respond(ctx, request as never)) as {
      AuthenticationResult?: { RefreshToken?: string };
    };
    const refreshToken = response.AuthenticationResult?.RefreshToken;
    const username = request.ChallengeResponses?.USERNAME;
    if (refreshToken && username) {
      const userPool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId);
      const user = await userPool.getUserByUsername(ctx, username);
      if (user) await userPool.storeRefreshToken(ctx, refreshToken, user);
    }
    return response;
  };
};

Targets.AdminSetUserMFAPreference =
  (services) =>
  async (
    ctx,
    request: {
      UserPoolId: string;
      Username: string;
      SMSMfaSettings?: MfaSettings;
      SoftwareTokenMfaSettings?: MfaSettings;
    },
  ) => {
    const userPool = await services.cognito.getUserPool(ctx, request.UserPoolId);
    const user = await userPool.getUserByUsername(ctx, request.Username);
    if (!user) throw new errors.UserNotFoundError('User does not exist.');
    const software = request.SoftwareTokenMfaSettings;
    if (software?.Enabled && !user.SoftwareTokenMfaConfiguration?.Verified) {
      throw new errors.InvalidParameterError('User has not verified software token MFA');
    }
    const methods = new Set(user.UserMFASettingList ?? []);
    for (const [method, settings] of [
      ['SMS_MFA', request.SMSMfaSettings],
      ['SOFTWARE_TOKEN_MFA', software],
    ] as const) {
      if (settings?.Enabled === true) methods.add(method);
      if (settings?.Enabled === false) methods.delete(method);
    }
    let preferred: string | undefined;
    if (request.SMSMfaSettings?.PreferredMfa) preferred = 'SMS_MFA';
    else if (software?.PreferredMfa) preferred = 'SOFTWARE_TOKEN_MFA';
    await userPool.saveUser(ctx, {
      ...user,
      UserMFASettingList: [...methods],
      PreferredMfaSetting: preferred,
    });
    return {};
  };

const stateDir = process.argv[2];
if (!stateDir)
  throw new Error('Usage: node --import tsx infra/local/stack/cognito-main.ts STATE_DIR');
process.chdir(stateDir);
require('cognito-local/lib/bin/start.js');
