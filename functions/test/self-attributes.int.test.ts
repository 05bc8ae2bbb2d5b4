import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../infra/local/stack/bootstrap';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * cognito-local does not enforce the SPA client's write-attribute list, so a signed-in user
 * can rewrite their own `custom:role` and get ID tokens that carry the new value. These tests
 * show that the API takes role and tenant from the user record and grants nothing new.
 */

/** Decodes a JWT payload without verifying it, to read what Cognito put into the token. */
function decodePayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('The token has no payload part');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('self-written attributes', () => {
  let stack: TestStack;
  let cognito: CognitoIdentityProviderClient;
  let superAdmin: Session;
  let user: Session;
  let refreshableSession: Session;
  let tenantId: string;
  let otherTenantId: string;
  let userId: string;
  const userEmail = 'dev@selfattrs.test';
  const userPassword = newPassword();

  /** Sets attributes of the signed-in user with their own access token, as the SPA could. */
  const updateOwnAttributes = (accessToken: string, attributes: Record<string, string>) =>
    cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );

  /** Reads one attribute of the user as the pool stores it. */
  const storedAttribute = async (name: string): Promise<string | undefined> => {
    const stored = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: stack.info.userPoolId, Username: userEmail }),
    );
    return stored.UserAttributes?.find((attribute) => attribute.Name === name)?.Value;
  };

  /** Returns a new ID token from the refresh token, as the SPA gets one after a reload. */
  const refreshIdToken = async (refreshToken: string | undefined): Promise<string> => {
    if (!refreshToken) throw new Error('The session has no refresh token');
    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: stack.info.userPoolClientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    const idToken = refreshed.AuthenticationResult?.IdToken;
    if (!idToken) throw new Error('Refresh returned no ID token');
    return idToken;
  };

  /** Checks that every admin route still returns 403 FORBIDDEN for `idToken`. */
  const expectAdminRoutesForbidden = async (idToken: string): Promise<void> => {
    const users = await stack.api(idToken, 'GET', `/v1/tenants/${tenantId}/users`);
    expect(users.status).toBe(403);
    expect(users.body.error.code).toBe('FORBIDDEN');

    const plan = await stack.api(idToken, 'POST', '/v1/plans', planInput({ name: 'Stolen' }));
    expect(plan.status).toBe(403);
    expect(plan.body.error.code).toBe('FORBIDDEN');

    const tenants = await stack.api(idToken, 'GET', '/v1/tenants');
    expect(tenants.status).toBe(403);
    expect(tenants.body.error.code).toBe('FORBIDDEN');
  };

  /** Checks that `GET /v1/me` still returns the record's role User and the user's own tenant. */
  const expectRecordView = async (idToken: string): Promise<void> => {
    const me = await stack.api(idToken, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.userId).toBe(userId);
    expect(me.body.role).toBe('User');
    expect(me.body.tenantId).toBe(tenantId);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    cognito = new CognitoIdentityProviderClient({
      region: stack.info.region,
      endpoint: stack.info.cognitoEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);

    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    expect(plan.status).toBe(201);
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Acme',
      planId: plan.body.planId,
      adminEmail: 'owner@selfattrs.test',
      creditLimit: 1_000_000,
    });
    expect(tenant.status).toBe(201);
    tenantId = tenant.body.tenantId;
    const otherTenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Globex',
      planId: plan.body.planId,
      adminEmail: 'owner@globex-selfattrs.test',
      creditLimit: 1_000_000,
    });
    expect(otherTenant.status).toBe(201);
    otherTenantId = otherTenant.body.tenantId;

    const tenantAdmin = await stack.acceptInvite('owner@selfattrs.test', newPassword());
    const invited = await stack.api(tenantAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: userEmail,
      role: 'User',
    });
    expect(invited.status).toBe(201);
    userId = invited.body.userId;
    user = await stack.acceptInvite(userEmail, userPassword);
  });

  afterAll(async () => {
    cognito?.destroy();
    await stack?.stop();
  });

  it('user starts as User of own tenant', async () => {
    expect(decodePayload(user.idToken)['custom:role']).toBe('User');
    expect(decodePayload(user.idToken)['custom:tenantId']).toBe(tenantId);
    await expectRecordView(user.idToken);
    await expectAdminRoutesForbidden(user.idToken);
  });

  it('cognito-local accepts own role change to SuperAdmin', async () => {
    await updateOwnAttributes(user.accessToken, { 'custom:role': 'SuperAdmin' });

    expect(await storedAttribute('custom:role')).toBe('SuperAdmin');
  });

  it('new sign-in token carries SuperAdmin claim', async () => {
    const session = await stack.signIn(userEmail, userPassword);

    expect(decodePayload(session.idToken)['custom:role']).toBe('SuperAdmin');
    expect(decodePayload(session.idToken)['custom:tenantId']).toBe(tenantId);
  });

  it('API ignores SuperAdmin claim', async () => {
    const session = await stack.signIn(userEmail, userPassword);

    await expectRecordView(session.idToken);
    await expectAdminRoutesForbidden(session.idToken);
  });

  it('SuperAdmin claim reaches no other tenant', async () => {
    const session = await stack.signIn(userEmail, userPassword);

    const otherUsers = await stack.api(
      session.idToken,
      'GET',
      `/v1/tenants/${otherTenantId}/users`,
    );
    expect(otherUsers.status).toBe(404);
    expect(otherUsers.body.error.code).toBe('NOT_FOUND');

    const otherTenant = await stack.api(session.idToken, 'GET', `/v1/tenants/${otherTenantId}`);
    expect(otherTenant.status).toBe(404);
  });

  it('refreshed token carries TenantAdmin claim', async () => {
    // cognito-local 5.3 stores only refresh tokens of USER_PASSWORD_AUTH sign-ins, not those of
    // the response to a NEW_PASSWORD_REQUIRED challenge, so the invitation's session cannot be
    // refreshed.
    refreshableSession = await stack.signIn(userEmail, userPassword);
    await updateOwnAttributes(user.accessToken, { 'custom:role': 'TenantAdmin' });
    expect(await storedAttribute('custom:role')).toBe('TenantAdmin');

    const idToken = await refreshIdToken(refreshableSession.refreshToken);

    expect(decodePayload(idToken)['custom:role']).toBe('TenantAdmin');
  });

  it('API ignores TenantAdmin claim', async () => {
    const idToken = await refreshIdToken(refreshableSession.refreshToken);

    await expectRecordView(idToken);
    await expectAdminRoutesForbidden(idToken);
  });

  it('cognito-local rejects own tenantId change', async () => {
    const attempt = updateOwnAttributes(user.accessToken, { 'custom:tenantId': otherTenantId });

    await expect(attempt).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(attempt).rejects.toThrow('changing an immutable attribute');
    expect(await storedAttribute('custom:tenantId')).toBe(tenantId);
  });

  it('token keeps own tenant after tenantId attempt', async () => {
    const session = await stack.signIn(userEmail, userPassword);

    expect(decodePayload(session.idToken)['custom:tenantId']).toBe(tenantId);
    await expectRecordView(session.idToken);
    await expectAdminRoutesForbidden(session.idToken);

    const otherUsers = await stack.api(
      session.idToken,
      'GET',
      `/v1/tenants/${otherTenantId}/users`,
    );
    expect(otherUsers.status).toBe(404);
  });

  it('original ID token still works as User', async () => {
    await expectRecordView(user.idToken);
    await expectAdminRoutesForbidden(user.idToken);
  });
});
