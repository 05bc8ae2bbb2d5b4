import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * Invitations, member lifecycle, tenant suspension and the audit log through the HTTP API.
 * Every change must apply on the next request, even with a token issued before it.
 */
describe('user lifecycle', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let tenantId: string;
  let adminId: string;
  const adminEmail = 'lead@umbrella.test';

  const invite = async (email: string, role: 'User' | 'TenantAdmin' = 'User') => {
    const response = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email,
      role,
    });
    expect(response.status, `invite ${email}`).toBe(201);
    return response.body.userId as string;
  };
  const usersPath = (userId = '') => `/v1/tenants/${tenantId}/users${userId ? `/${userId}` : ''}`;
  const chat = (session: Session) =>
    new OpenAI({
      baseURL: `${stack.info.apiUrl}/v1`,
      apiKey: session.idToken,
      maxRetries: 0,
    }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
      max_tokens: 20,
    });
  const credits = async () =>
    (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`)).body;

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ seatLimit: 12 }),
    );
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Umbrella',
      planId: plan.body.planId,
      adminEmail,
      creditLimit: 1_000_000,
    });
    tenantId = tenant.body.tenantId;
    adminId = tenant.body.admin.userId;
    admin = await stack.acceptInvite(adminEmail, newPassword());
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 100_000,
      reason: 'Start',
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('tenant shows seats used and total', async () => {
    const tenant = await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}`);
    expect(tenant.status).toBe(200);
    expect(tenant.body.seatsUsed).toBe(1);
    expect(tenant.body.seatLimit).toBe(12);
  });

  it('resend replaces the temporary password', async () => {
    const email = 'resend@umbrella.test';
    const userId = await invite(email);
    const [first] = await stack.readOutbox(email);
    const listed = await stack.api(admin.idToken, 'GET', usersPath(userId));
    expect(listed.body.status).toBe('INVITED');
    expect(listed.body.invitedAt).toBeTruthy();

    const resent = await stack.api(admin.idToken, 'POST', `${usersPath(userId)}/invitation`);
    expect(resent.status).toBe(200);
    expect(resent.body.invitedAt >= listed.body.invitedAt).toBe(true);
    const emails = await stack.readOutbox(email);
    expect(emails).toHaveLength(2);
    const second = emails[1];
    expect(second?.temporaryPassword).not.toBe(first?.temporaryPassword);

    // NOTE: cognito-local answers NEW_PASSWORD_REQUIRED to any password of a user who must
    // change theirs, so the unit tests of the Cognito calls show that the old temporary
    // password stops working, not this test.
    const session = await stack.signIn(email, second?.temporaryPassword as string, newPassword());
    expect((await stack.api(session.idToken, 'GET', '/v1/me')).body.status).toBe('ACTIVE');

    const again = await stack.api(admin.idToken, 'POST', `${usersPath(userId)}/invitation`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('revoke frees the seat and the email', async () => {
    const email = 'revoked@umbrella.test';
    const userId = await invite(email);
    const seatsBefore = (await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}`)).body
      .seatsUsed;
    const [invitation] = await stack.readOutbox(email);

    const revoked = await stack.api(admin.idToken, 'DELETE', usersPath(userId));
    expect(revoked.status).toBe(204);
    expect((await stack.api(admin.idToken, 'GET', usersPath(userId))).status).toBe(404);
    const list = await stack.api(admin.idToken, 'GET', usersPath());
    expect(list.body.items.map((user: { email: string }) => user.email)).not.toContain(email);
    expect((await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}`)).body.seatsUsed).toBe(
      seatsBefore - 1,
    );
    await expect(
      stack.signIn(email, invitation?.temporaryPassword as string, newPassword()),
    ).rejects.toThrow();

    const reinvitedId = await invite(email);
    expect(reinvitedId).not.toBe(userId);
  });

  it('disable and enable apply on the next request', async () => {
    const email = 'toggle@umbrella.test';
    const userId = await invite(email);
    const session = await stack.acceptInvite(email, newPassword());
    await stack.api(admin.idToken, 'POST', `${usersPath(userId)}/credits`, {
      operation: 'allocate',
      amount: 1_000,
    });

    const disabled = await stack.api(admin.idToken, 'PATCH', usersPath(userId), {
      status: 'DISABLED',
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('DISABLED');
    const me = await stack.api(session.idToken, 'GET', '/v1/me');
    expect(me.status).toBe(403);
    expect(me.body.error.code).toBe('ACCOUNT_DISABLED');
    await expect(chat(session)).rejects.toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
    await expect(stack.signIn(email, 'whatever-Password-1')).rejects.toThrow();

    const enabled = await stack.api(admin.idToken, 'PATCH', usersPath(userId), {
      status: 'ACTIVE',
    });
    expect(enabled.body.status).toBe('ACTIVE');
    expect((await stack.api(session.idToken, 'GET', '/v1/me')).status).toBe(200);
    const reply = await chat(session);
    expect(reply.choices[0]?.message.content).toBeTruthy();
  });

  it('role change applies to an older token', async () => {
    const email = 'promoted@umbrella.test';
    const userId = await invite(email);
    const session = await stack.acceptInvite(email, newPassword());
    expect((await stack.api(session.idToken, 'GET', usersPath())).status).toBe(403);

    const promoted = await stack.api(admin.idToken, 'PATCH', usersPath(userId), {
      role: 'TenantAdmin',
    });
    expect(promoted.body.role).toBe('TenantAdmin');
    expect((await stack.api(session.idToken, 'GET', usersPath())).status).toBe(200);

    await stack.api(admin.idToken, 'PATCH', usersPath(userId), { role: 'User' });
    expect((await stack.api(session.idToken, 'GET', usersPath())).status).toBe(403);
  });

  it('last admin cannot leave', async () => {
    for (const change of [{ role: 'User' }, { status: 'DISABLED' }]) {
      const response = await stack.api(admin.idToken, 'PATCH', usersPath(adminId), change);
      expect(response.status, JSON.stringify(change)).toBe(409);
      expect(response.body.error.code).toBe('CONFLICT');
    }
    const deletion = await stack.api(admin.idToken, 'DELETE', usersPath(adminId));
    expect(deletion.status).toBe(409);
    expect((await stack.api(admin.idToken, 'GET', '/v1/me')).body.role).toBe('TenantAdmin');
  });

  it('second admin lets the first step down', async () => {
    const email = 'deputy@umbrella.test';
    const deputyId = await invite(email, 'TenantAdmin');
    const deputy = await stack.acceptInvite(email, newPassword());

    const demoted = await stack.api(deputy.idToken, 'PATCH', usersPath(adminId), { role: 'User' });
    expect(demoted.status).toBe(200);
    const restored = await stack.api(deputy.idToken, 'PATCH', usersPath(adminId), {
      role: 'TenantAdmin',
    });
    expect(restored.status).toBe(200);
    expect((await stack.api(admin.idToken, 'DELETE', usersPath(deputyId))).status).toBe(204);
  });

  it('delete returns credits to the pool', async () => {
    const email = 'leaver@umbrella.test';
    const userId = await invite(email);
    const session = await stack.acceptInvite(email, newPassword());
    await stack.api(admin.idToken, 'POST', `${usersPath(userId)}/credits`, {
      operation: 'allocate',
      amount: 5_000,
    });
    await chat(session);
    const balance = (await stack.api(session.idToken, 'GET', '/v1/me')).body.balance;
    expect(balance).toBeLessThan(5_000);
    const before = await credits();

    expect((await stack.api(admin.idToken, 'DELETE', usersPath(userId))).status).toBe(204);

    const after = await credits();
    expect(after.poolBalance).toBe(before.poolBalance + balance);
    expect(after.allocated).toBe(before.allocated - balance);
    expect(after.spent).toBe(before.spent);
    expect(after.poolBalance + after.allocated + after.held + after.spent).toBe(after.granted);
    const ledger = await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}/ledger`);
    const returned = ledger.body.items.find(
      (entry: { userId?: string; type: string }) =>
        entry.userId === userId && entry.type === 'RECLAIM',
    );
    expect(returned).toMatchObject({ amount: balance, reason: 'User deleted' });
    expect((await stack.api(session.idToken, 'GET', '/v1/me')).status).toBe(401);
    await expect(chat(session)).rejects.toMatchObject({ status: 401 });
    expect(await invite(email)).not.toBe(userId);
  });

  it('suspension applies to older tokens', async () => {
    const email = 'worker@umbrella.test';
    const userId = await invite(email);
    const session = await stack.acceptInvite(email, newPassword());
    await stack.api(admin.idToken, 'POST', `${usersPath(userId)}/credits`, {
      operation: 'allocate',
      amount: 1_000,
    });

    const suspended = await stack.api(superAdmin.idToken, 'PATCH', `/v1/tenants/${tenantId}`, {
      status: 'SUSPENDED',
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('SUSPENDED');
    const me = await stack.api(session.idToken, 'GET', '/v1/me');
    expect(me.status).toBe(403);
    expect(me.body.error.code).toBe('TENANT_SUSPENDED');
    expect((await stack.api(admin.idToken, 'GET', usersPath())).body.error.code).toBe(
      'TENANT_SUSPENDED',
    );
    await expect(chat(session)).rejects.toMatchObject({ status: 403, code: 'TENANT_SUSPENDED' });
    const blockedInvite = await stack.api(superAdmin.idToken, 'POST', usersPath(), {
      email: 'late@umbrella.test',
      role: 'User',
    });
    expect(blockedInvite.status).toBe(409);

    const reactivated = await stack.api(superAdmin.idToken, 'PATCH', `/v1/tenants/${tenantId}`, {
      status: 'ACTIVE',
    });
    expect(reactivated.body.status).toBe('ACTIVE');
    expect((await stack.api(session.idToken, 'GET', '/v1/me')).status).toBe(200);
    expect((await chat(session)).choices).toHaveLength(1);
  });

  it('password reset code reaches the outbox', async () => {
    const email = 'forgetful@umbrella.test';
    await invite(email);
    await stack.acceptInvite(email, newPassword());
    const cognito = new CognitoIdentityProviderClient({
      region: stack.info.region,
      endpoint: stack.info.cognitoEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    await cognito.send(
      new ForgotPasswordCommand({ ClientId: stack.info.userPoolClientId, Username: email }),
    );
    // cognito-local writes the code to its log, which a loaded machine may flush late.
    const deadline = Date.now() + 15_000;
    let reset = (await stack.readOutbox(email)).find((message) =>
      message.subject.includes('password reset'),
    );
    while (!reset && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      reset = (await stack.readOutbox(email)).find((message) =>
        message.subject.includes('password reset'),
      );
    }
    const code = (reset as { code?: string } | undefined)?.code;
    expect(code).toMatch(/^\d{6}$/);
    expect(reset?.body).toContain(code);

    const chosen = newPassword();
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: stack.info.userPoolClientId,
        Username: email,
        ConfirmationCode: code,
        Password: chosen,
      }),
    );
    const session = await stack.signIn(email, chosen);
    expect((await stack.api(session.idToken, 'GET', '/v1/me')).status).toBe(200);
    cognito.destroy();
  });

  it('batch invite answers each row', async () => {
    const response = await stack.api(admin.idToken, 'POST', `${usersPath()}/batch`, {
      users: [
        { email: 'Batch.One@Umbrella.test', role: 'User' },
        { email: adminEmail, role: 'User' },
        { email: 'not-an-email', role: 'User' },
        { email: 'batch.two@umbrella.test', role: 'Owner' },
        { email: 'batch.three@umbrella.test', role: 'TenantAdmin' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.results.map((row: { result: string }) => row.result)).toEqual([
      'invited',
      'exists',
      'invalid',
      'invalid',
      'invited',
    ]);
    expect(response.body.results[0].email).toBe('batch.one@umbrella.test');
    expect(await stack.readOutbox('batch.one@umbrella.test')).toHaveLength(1);
    expect(await stack.readOutbox('batch.two@umbrella.test')).toHaveLength(0);
  });

  it('batch invite stops rows at the seat limit', async () => {
    const { seatsUsed, seatLimit } = (
      await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}`)
    ).body;
    const free = seatLimit - seatsUsed;
    const rows = Array.from({ length: free + 2 }, (_, index) => ({
      email: `seat${index}@umbrella.test`,
      role: 'User',
    }));
    const response = await stack.api(admin.idToken, 'POST', `${usersPath()}/batch`, {
      users: rows,
    });
    const results = response.body.results.map((row: { result: string }) => row.result);
    expect(results.filter((result: string) => result === 'invited')).toHaveLength(free);
    expect(results.slice(free)).toEqual(['seat_limit', 'seat_limit']);
    expect((await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}`)).body.seatsUsed).toBe(
      seatLimit,
    );
  });

  it('batch rejects more than 100 rows', async () => {
    const rows = Array.from({ length: 101 }, (_, index) => ({
      email: `many${index}@umbrella.test`,
      role: 'User',
    }));
    const response = await stack.api(admin.idToken, 'POST', `${usersPath()}/batch`, {
      users: rows,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('users');
  });

  it('audit log records actions newest first', async () => {
    const log = await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}/audit`);
    expect(log.status).toBe(200);
    const actions = log.body.items.map((entry: { action: string }) => entry.action);
    for (const action of [
      'tenant.create',
      'credits.grant',
      'user.invite',
      'user.resend-invitation',
      'user.revoke-invitation',
      'user.disable',
      'user.enable',
      'user.change-role',
      'user.delete',
      'credits.allocate',
      'tenant.suspend',
      'tenant.reactivate',
    ]) {
      expect(actions, action).toContain(action);
    }
    const times = log.body.items.map((entry: { createdAt: string }) => entry.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const entry = log.body.items.find(
      (item: { action: string }) => item.action === 'tenant.suspend',
    );
    expect(entry).toMatchObject({
      tenantId,
      targetType: 'tenant',
      targetId: tenantId,
      actorEmail: stack.info.superAdmin.email,
    });
    expect(entry.requestId).toBeTruthy();
  });

  it('audit log filters and pages', async () => {
    const invites = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/audit?action=user.invite&limit=100`,
    );
    expect(invites.body.items.length).toBeGreaterThan(3);
    expect(new Set(invites.body.items.map((entry: { action: string }) => entry.action))).toEqual(
      new Set(['user.invite']),
    );

    const byAdmin = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/audit?actorId=${adminId}&limit=100`,
    );
    expect(new Set(byAdmin.body.items.map((entry: { actorId: string }) => entry.actorId))).toEqual(
      new Set([adminId]),
    );

    const first = await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}/audit?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/audit?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[0].auditId < first.body.items[1].auditId).toBe(true);
  });

  it('superadmin reads the whole log', async () => {
    const log = await stack.api(superAdmin.idToken, 'GET', '/v1/audit?limit=100');
    expect(log.status).toBe(200);
    const actions = log.body.items.map((entry: { action: string }) => entry.action);
    expect(actions).toContain('plan.create');
    expect(actions).toContain('tenant.create');
    expect((await stack.api(admin.idToken, 'GET', '/v1/audit')).status).toBe(403);
  });

  it('audit entries cannot be changed', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await stack.api(admin.idToken, method, `/v1/tenants/${tenantId}/audit`, {});
      expect(response.status, method).toBe(405);
    }
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
