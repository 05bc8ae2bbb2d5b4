import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { PLATFORM_TENANT_ID } from '@creditgate/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/src/lib/db/keys';
import { LOCAL_CREDENTIALS } from '../local/stack/bootstrap';
import { newPassword, startTestStack, type TestStack } from '../local/testing/test-stack';
import { createSuperAdmin, SuperAdminError } from './create-super-admin';

let stack: TestStack;
let cognito: CognitoIdentityProviderClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startTestStack();
  cognito = new CognitoIdentityProviderClient({
    region: stack.info.region,
    endpoint: stack.info.cognitoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: stack.info.region,
      endpoint: stack.info.dynamodbEndpoint,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
});

afterAll(async () => {
  cognito?.destroy();
  documents?.destroy();
  await stack?.stop();
});

function create(email: string, temporaryPassword?: string) {
  return createSuperAdmin({
    cognito,
    documents,
    userPoolId: stack.info.userPoolId,
    tableName: stack.info.tableName,
    email,
    temporaryPassword,
  });
}

describe('createSuperAdmin', () => {
  it('creates a SuperAdmin who can sign in and manage tenants', async () => {
    const temporaryPassword = newPassword();
    const { email, userId } = await create('  Second.Admin@Example.com ', temporaryPassword);

    const session = await stack.signIn(email, temporaryPassword, newPassword());
    const me = await stack.api(session.idToken, 'GET', '/v1/me');
    const tenants = await stack.api(session.idToken, 'GET', '/v1/tenants');

    expect(email).toBe('second.admin@example.com');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      userId,
      email,
      tenantId: PLATFORM_TENANT_ID,
      role: 'SuperAdmin',
      status: 'ACTIVE',
    });
    expect(tenants.status).toBe(200);
  });

  it('writes the user record and email claim', async () => {
    const { email, userId } = await create('third.admin@example.com', newPassword());

    const user = await documents.send(
      new GetCommand({ TableName: stack.info.tableName, Key: keys.platformUser(userId) }),
    );
    const claim = await documents.send(
      new GetCommand({ TableName: stack.info.tableName, Key: keys.emailClaim(email) }),
    );

    expect(user.Item).toMatchObject({ role: 'SuperAdmin', status: 'INVITED', email });
    expect(claim.Item).toMatchObject({ state: 'CLAIMED', userId, tenantId: PLATFORM_TENANT_ID });
  });

  it('rejects an email that already has a user', async () => {
    await expect(create(stack.info.superAdmin.email)).rejects.toThrow(SuperAdminError);
    await expect(create(stack.info.superAdmin.email)).rejects.toThrow(/already belongs to a user/);
  });

  it('rejects an invalid email', async () => {
    await expect(create('not-an-email')).rejects.toThrow(/Invalid email address/);
  });
});
