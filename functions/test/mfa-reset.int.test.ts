import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
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
import { totpCode } from '../../infra/local/testing/totp';

/**
 * A TenantAdmin turns off the authenticator app of a member who lost it, on cognito-local.
 * The member adds the app through Cognito's API as the SPA does, so sign-in requires a
 * code. After the reset, the password alone signs in and the audit log names the reset.
 */
describe('authenticator reset', () => {
  let stack: TestStack;
  let cognito: CognitoIdentityProviderClient;
  let admin: Session;
  let tenantId: string;
  const memberEmail = 'member@mfa-reset.test';
  const memberPassword = newPassword();
  let memberId: string;

  const initiateAuth = () =>
    cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: stack.info.userPoolClientId,
        AuthParameters: { USERNAME: memberEmail, PASSWORD: memberPassword },
      }),
    );
  const resetPath = (userId: string) => `/v1/tenants/${tenantId}/users/${userId}/mfa`;

  beforeAll(async () => {
    stack = await startTestStack();
    cognito = new CognitoIdentityProviderClient({
      region: stack.info.region,
      endpoint: stack.info.cognitoEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    const superAdmin = await stack.signIn(
      stack.info.superAdmin.email,
      stack.info.superAdmin.password,
    );
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'MFA Reset',
      planId: plan.body.planId,
      adminEmail: 'admin@mfa-reset.test',
      creditLimit: 10_000,
    });
    expect(tenant.status).toBe(201);
    tenantId = tenant.body.tenantId;
    admin = await stack.acceptInvite('admin@mfa-reset.test', newPassword());
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: memberEmail,
      role: 'User',
    });
    expect(invited.status).toBe(201);
    memberId = invited.body.userId;
    const member = await stack.acceptInvite(memberEmail, memberPassword);

    const { SecretCode } = await cognito.send(
      new AssociateSoftwareTokenCommand({ AccessToken: member.accessToken }),
    );
    await cognito.send(
      new VerifySoftwareTokenCommand({
        AccessToken: member.accessToken,
        UserCode: totpCode(SecretCode ?? ''),
      }),
    );
    await cognito.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: member.accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('requires the code before the reset', async () => {
    const signIn = await initiateAuth();

    expect(signIn.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(signIn.AuthenticationResult).toBeUndefined();
  });

  it('rejects a wrong code', async () => {
    const signIn = await initiateAuth();

    const attempt = cognito.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ClientId: stack.info.userPoolClientId,
        Session: signIn.Session,
        ChallengeResponses: { USERNAME: memberEmail, SOFTWARE_TOKEN_MFA_CODE: 'abcdef' },
      }),
    );

    await expect(attempt).rejects.toMatchObject({ name: 'CodeMismatchException' });
  });

  it('lets the password alone sign in after the reset', async () => {
    const reset = await stack.api(admin.idToken, 'DELETE', resetPath(memberId));

    expect(reset.status).toBe(204);
    const signIn = await initiateAuth();
    expect(signIn.ChallengeName).toBeUndefined();
    expect(signIn.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('records the reset in the audit log', async () => {
    const audit = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/audit?action=user.reset-mfa`,
    );

    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.reset-mfa',
      targetType: 'user',
      targetId: memberId,
    });
  });

  it('rejects a user who never signed in', async () => {
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: 'newcomer@mfa-reset.test',
      role: 'User',
    });

    const reset = await stack.api(admin.idToken, 'DELETE', resetPath(invited.body.userId));

    expect(reset.status).toBe(409);
    expect(reset.body.error.code).toBe('CONFLICT');
  });

  it('rejects a User caller', async () => {
    const member = await stack.signIn(memberEmail, memberPassword);

    const reset = await stack.api(member.idToken, 'DELETE', resetPath(memberId));

    expect(reset.status).toBe(403);
  });
});
