import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLE_CLAIM, type Role, TENANT_ID_CLAIM } from '@creditgate/shared';
import { awsClientConfig, requireEnv } from '../lib/env';

let client: CognitoIdentityProviderClient | undefined;

function getClient(): CognitoIdentityProviderClient {
  client ??= new CognitoIdentityProviderClient(awsClientConfig('COGNITO_ENDPOINT'));
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

/** Deletes a Cognito user; used to undo an invitation whose record could not be written. */
export async function deleteCognitoUser(email: string): Promise<void> {
  await getClient().send(
    new AdminDeleteUserCommand({ UserPoolId: requireEnv('USER_POOL_ID'), Username: email }),
  );
}
