import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLE_CLAIM, type Role, TENANT_ID_CLAIM } from '@creditgate/shared';
import { awsClientConfig, isLocalMode, requireEnv } from '../lib/env';
import { traced } from '../lib/observability';

let client: CognitoIdentityProviderClient | undefined;

function getClient(): CognitoIdentityProviderClient {
  client ??= traced(new CognitoIdentityProviderClient(awsClientConfig('COGNITO_ENDPOINT')));
  return client;
}

/**
 * Creates the Cognito user of an invitation and returns its `sub`, the user id. Cognito
 * sends the invite email itself (through the CustomMessage trigger); the sign-in name is
 * the email, which the user pool uses as the username attribute.
 */
export async function createCognitoUser(input: {
  email: string;
  tenantId: string;
  role: Role;
  temporaryPassword: string;
}): Promise<string> {
  const result = await getClient().send(
    new AdminCreateUserCommand({
      UserPoolId: requireEnv('USER_POOL_ID'),
      Username: input.email,
      TemporaryPassword: input.temporaryPassword,
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [
        { Name: 'email', Value: input.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: TENANT_ID_CLAIM, Value: input.tenantId },
        { Name: ROLE_CLAIM, Value: input.role },
      ],
    }),
  );
  const sub = result.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!sub) throw new Error('Cognito created a user without a sub');
  return sub;
}

/**
 * Gives an invited user a new temporary password, so the old one stops working. In AWS,
 * `AdminCreateUser` with `MessageAction: RESEND` does it and Cognito emails the invite
 * again; cognito-local does not support RESEND, so local mode sets a non-permanent
 * password and the caller writes the email to the outbox.
 */
export async function resetTemporaryPassword(
  email: string,
  temporaryPassword: string,
): Promise<void> {
  const userPoolId = requireEnv('USER_POOL_ID');
  if (isLocalMode()) {
    await getClient().send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: email,
        Password: temporaryPassword,
        Permanent: false,
      }),
    );
    return;
  }
  await getClient().send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      TemporaryPassword: temporaryPassword,
      MessageAction: 'RESEND',
      DesiredDeliveryMediums: ['EMAIL'],
    }),
  );
}

/** Enables or disables sign-in. The API checks the user record on every request as well. */
export async function setCognitoUserEnabled(email: string, isEnabled: boolean): Promise<void> {
  const input = { UserPoolId: requireEnv('USER_POOL_ID'), Username: email };
  await getClient().send(
    isEnabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input),
  );
}

/** Sets the role claim of future tokens; the user record stays the authority. */
export async function setCognitoUserRole(email: string, role: Role): Promise<void> {
  await getClient().send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: requireEnv('USER_POOL_ID'),
      Username: email,
      UserAttributes: [{ Name: ROLE_CLAIM, Value: role }],
    }),
  );
}

/**
 * Turns off a user's authenticator app (TOTP MFA), so sign-in requires the password only.
 * The user can add a new app afterwards. A user without an app is left as it is.
 */
export async function disableCognitoUserMfa(email: string): Promise<void> {
  await getClient().send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: requireEnv('USER_POOL_ID'),
      Username: email,
      SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
    }),
  );
}

/** Deletes a Cognito user; a user that is already gone counts as deleted. */
export async function deleteCognitoUser(email: string): Promise<void> {
  try {
    await getClient().send(
      new AdminDeleteUserCommand({ UserPoolId: requireEnv('USER_POOL_ID'), Username: email }),
    );
  } catch (error) {
    if ((error as Error).name !== 'UserNotFoundException') throw error;
  }
}
