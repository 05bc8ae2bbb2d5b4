import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  customAttributes,
  PLATFORM_ADMIN_KEY_SECRET_NAME,
  PLATFORM_KEY_SECRET_NAME,
  ROLE_CLAIM,
  TENANT_ID_CLAIM,
  tableLayout,
} from '@creditgate/shared';
import { superAdminAttributes } from '../../scripts/super-admin';
import { ROTATION_FUNCTION_NAME } from '../gateway/handlers';

/** Credentials the local emulators accept; they check none. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Days between scheduled rotations of the local platform key, as in AWS by default. */
const LOCAL_KEY_ROTATION_DAYS = 30;

export interface BootstrapInput {
  stateDir: string;
  region: string;
  tableName: string;
  dynamodbEndpoint: string;
  cognitoEndpoint: string;
  secretsManagerEndpoint: string;
  superAdminEmail: string;
}

export interface BootstrapResult {
  userPoolId: string;
  userPoolClientId: string;
  superAdmin: { email: string; password: string; userId: string };
}

interface SavedIdentity {
  userPoolId: string;
  userPoolClientId: string;
  superAdminPassword: string;
}

/**
 * Creates what a fresh local stack needs and reuses what a previous run left in the state
 * folder: the table (with TTL), the user pool and SPA client, the SuperAdmin's Cognito user,
 * the platform key secret with its rotation settings, and the admin key secret. The
 * SuperAdmin's user record is written by the caller.
 */
export async function bootstrapStack(input: BootstrapInput): Promise<BootstrapResult> {
  await Promise.all([createTable(input), createPlatformKeySecrets(input)]);
  const identity = await createIdentity(input);
  return identity;
}

async function createTable(input: BootstrapInput): Promise<void> {
  const client = new DynamoDBClient({
    region: input.region,
    endpoint: input.dynamodbEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: input.tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const index = tableLayout.globalIndexes[0];
  await client.send(
    new CreateTableCommand({
      TableName: input.tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: tableLayout.partitionKey, AttributeType: 'S' },
        { AttributeName: tableLayout.sortKey, AttributeType: 'S' },
        { AttributeName: index.partitionKey, AttributeType: 'S' },
        { AttributeName: index.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: tableLayout.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableLayout.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: input.tableName,
      TimeToLiveSpecification: { AttributeName: tableLayout.timeToLiveAttribute, Enabled: true },
    }),
  );
}

/**
 * Creates the platform key secret and the admin key secret, and configures the platform
 * key's rotation as the CDK stack does: the rotation function, a 30-day schedule, and no
 * rotation now. The local endpoint does not run scheduled rotations.
 */
async function createPlatformKeySecrets(input: BootstrapInput): Promise<void> {
  const client = new SecretsManagerClient({
    region: input.region,
    endpoint: input.secretsManagerEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  // The local upstream accepts any key that starts with `sk-`, and admin keys that start
  // with `sk-admin-`.
  const platform = await createSecretIfMissing(client, PLATFORM_KEY_SECRET_NAME, {
    apiKey: `sk-local-platform-${randomBytes(12).toString('hex')}`,
  });
  await createSecretIfMissing(client, PLATFORM_ADMIN_KEY_SECRET_NAME, {
    adminKey: `sk-admin-local-${randomBytes(12).toString('hex')}`,
  });
  if (!platform.isRotationEnabled) {
    await client.send(
      new RotateSecretCommand({
        SecretId: PLATFORM_KEY_SECRET_NAME,
        RotationLambdaARN: ROTATION_FUNCTION_NAME,
        RotationRules: { AutomaticallyAfterDays: LOCAL_KEY_ROTATION_DAYS },
        RotateImmediately: false,
      }),
    );
  }
  client.destroy();
}

/** Creates a secret with a JSON value unless it exists; reports whether rotation is on. */
async function createSecretIfMissing(
  client: SecretsManagerClient,
  name: string,
  value: Record<string, string>,
): Promise<{ isRotationEnabled: boolean }> {
  try {
    const existing = await client.send(new DescribeSecretCommand({ SecretId: name }));
    return { isRotationEnabled: existing.RotationEnabled === true };
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }));
  return { isRotationEnabled: false };
}

async function createIdentity(input: BootstrapInput): Promise<BootstrapResult> {
  const client = new CognitoIdentityProviderClient({
    region: input.region,
    endpoint: input.cognitoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const savedFile = join(input.stateDir, 'identity.json');
  const saved = await readSavedIdentity(savedFile);
  if (saved && (await poolExists(client, saved.userPoolId))) {
    const userId = await ensureSuperAdmin(
      client,
      saved.userPoolId,
      input.superAdminEmail,
      saved.superAdminPassword,
    );
    return {
      userPoolId: saved.userPoolId,
      userPoolClientId: saved.userPoolClientId,
      superAdmin: { email: input.superAdminEmail, password: saved.superAdminPassword, userId },
    };
  }

  const pool = await client.send(
    new CreateUserPoolCommand({
      PoolName: 'creditgate-local',
      UsernameAttributes: ['email'],
      // As in AWS: users may add an authenticator app, and then sign-in requires its code.
      MfaConfiguration: 'OPTIONAL',
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
      Schema: Object.values(customAttributes).map((attribute) => ({
        Name: attribute.name,
        AttributeDataType: 'String',
        Mutable: attribute.isMutable,
      })),
    }),
  );
  const userPoolId = pool.UserPool?.Id as string;
  const appClient = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'creditgate-spa',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ReadAttributes: ['email', 'email_verified', TENANT_ID_CLAIM, ROLE_CLAIM],
      // As in AWS: neither custom attribute nor the email (the sign-in name) is writable by a
      // client. cognito-local does not enforce this list.
      WriteAttributes: ['name'],
    }),
  );
  const superAdminPassword = generatePassword();
  const userId = await ensureSuperAdmin(
    client,
    userPoolId,
    input.superAdminEmail,
    superAdminPassword,
  );
  const identity: SavedIdentity = {
    userPoolId,
    userPoolClientId: appClient.UserPoolClient?.ClientId as string,
    superAdminPassword,
  };
  await writeFile(savedFile, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  return {
    userPoolId,
    userPoolClientId: identity.userPoolClientId,
    superAdmin: { email: input.superAdminEmail, password: superAdminPassword, userId },
  };
}

async function ensureSuperAdmin(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
  password: string,
): Promise<string> {
  try {
    const existing = await client.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }),
    );
    const sub = existing.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (sub) return sub;
  } catch (error) {
    if ((error as Error).name !== 'UserNotFoundException') throw error;
  }
  const created = await client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: superAdminAttributes(email),
    }),
  );
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  return created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value as string;
}

async function poolExists(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<boolean> {
  try {
    await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    return true;
  } catch {
    return false;
  }
}

async function readSavedIdentity(file: string): Promise<SavedIdentity | undefined> {
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as SavedIdentity;
}

/** A random password that meets the pool policy: 20 characters of four classes. */
function generatePassword(): string {
  return `Cg-${randomBytes(12).toString('base64url')}-9a`;
}
