import { computeCost, defaultPriceTable } from '@creditgate/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeUsage } from '../../infra/local/openai-upstream/server';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * The core flow through the HTTP API on a stack of its own: a SuperAdmin sets up a plan and
 * a tenant, the tenant's admin and a user accept their invitations, credits are granted and
 * allocated, and the user's metered chat calls cost exactly what the price table says.
 */
describe('core flow', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let tenantAdmin: Session;
  let user: Session;
  let planId: string;
  let tenantId: string;
  let userId: string;
  const adminEmail = 'owner@acme.test';
  const userEmail = 'dev@acme.test';
  const messages = [{ role: 'user' as const, content: 'Write one line about credits and tokens.' }];

  const openaiFor = (session: Session) =>
    new OpenAI({ baseURL: `${stack.info.apiUrl}/v1`, apiKey: session.idToken, maxRetries: 0 });
  const expectedCost = (maxTokens: number) =>
    computeCost(defaultPriceTable['gpt-4o-mini'] as never, {
      promptTokens: computeUsage({ model: 'gpt-4o-mini', messages, max_tokens: maxTokens })
        .prompt_tokens,
      cachedPromptTokens: 0,
      completionTokens: computeUsage({ model: 'gpt-4o-mini', messages, max_tokens: maxTokens })
        .completion_tokens,
    });

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('superadmin creates plan', async () => {
    const response = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    expect(response.status).toBe(201);
    expect(response.body.planId).toMatch(/^pln_/);
    expect(response.body.models).toEqual(['gpt-4o-mini', 'gpt-4o']);
    planId = response.body.planId;
  });

  it('superadmin creates tenant and invite reaches outbox', async () => {
    const response = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Acme',
      planId,
      adminEmail: ' Owner@Acme.test ',
      creditLimit: 1_000_000,
    });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('ACTIVE');
    expect(response.body.admin).toMatchObject({ email: adminEmail, status: 'INVITED' });
    tenantId = response.body.tenantId;

    const [invite] = await stack.readOutbox(adminEmail);
    expect(invite?.username).toBe(adminEmail);
    expect(invite?.temporaryPassword).toMatch(/.{12,}/);
    expect(invite?.body).toContain('Acme');
    expect(invite?.body).toContain(invite?.temporaryPassword);
  });

  it('tenant admin accepts invite and invites user', async () => {
    tenantAdmin = await stack.acceptInvite(adminEmail, newPassword());
    const me = await stack.api(tenantAdmin.idToken, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: adminEmail,
      tenantId,
      role: 'TenantAdmin',
      status: 'ACTIVE',
    });

    const invited = await stack.api(tenantAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: userEmail,
      role: 'User',
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: userEmail, role: 'User', status: 'INVITED' });
    userId = invited.body.userId;

    user = await stack.acceptInvite(userEmail, newPassword());
    const userMe = await stack.api(user.idToken, 'GET', '/v1/me');
    expect(userMe.body).toMatchObject({ userId, role: 'User', status: 'ACTIVE', balance: 0 });
  });

  it('grant and allocation move credits', async () => {
    const grant = await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 500_000,
      reason: 'Welcome credits',
    });
    expect(grant.status).toBe(201);
    expect(grant.body.poolBalance).toBe(500_000);

    const allocation = await stack.api(
      tenantAdmin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${userId}/credits`,
      {
        operation: 'allocate',
        amount: 100_000,
      },
    );
    expect(allocation.status).toBe(200);
    expect(allocation.body).toEqual({ userBalance: 100_000, poolBalance: 400_000 });
  });

  it('plain chat call costs the price of its usage', async () => {
    const before = (await stack.api(user.idToken, 'GET', '/v1/me')).body.balance;
    const { data, response } = await openaiFor(user)
      .chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 50 })
      .withResponse();
    expect(data.choices[0]?.message.content).toMatch(/^Echo:/);
    const cost = expectedCost(50);
    expect(cost).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-creditgate-cost'))).toBe(cost);

    const after = (await stack.api(user.idToken, 'GET', '/v1/me')).body;
    expect(after.balance).toBe(before - cost);
    expect(after.held).toBe(0);
    expect(Number(response.headers.get('x-creditgate-balance'))).toBe(after.balance);

    const requestId = response.headers.get('x-creditgate-request-id');
    const ledger = await stack.api(user.idToken, 'GET', `/v1/me/ledger?requestId=${requestId}`);
    expect(ledger.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'HOLD',
      'SETTLE',
    ]);
    expect(ledger.body.items[1].amount).toBe(cost);
    expect(ledger.body.items[0].amount).toBeGreaterThanOrEqual(cost);
  });

  it('streamed chat call streams and costs the same', async () => {
    const before = (await stack.api(user.idToken, 'GET', '/v1/me')).body.balance;
    const stream = await openaiFor(user).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 50,
      stream: true,
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      chunks++;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toMatch(/^Echo:/);

    const after = (await stack.api(user.idToken, 'GET', '/v1/me')).body;
    expect(after.balance).toBe(before - expectedCost(50));

    const ledger = await stack.api(user.idToken, 'GET', '/v1/me/ledger');
    const settlements = ledger.body.items.filter(
      (entry: { type: string }) => entry.type === 'SETTLE',
    );
    expect(settlements).toHaveLength(2);
  });

  it('tenant credits satisfy the invariant', async () => {
    const credits = await stack.api(tenantAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`);
    expect(credits.status).toBe(200);
    const { granted, poolBalance, allocated, held, spent } = credits.body;
    expect(granted).toBe(500_000);
    expect(spent).toBe(2 * expectedCost(50));
    expect(held).toBe(0);
    expect(poolBalance + allocated + held + spent).toBe(granted);
  });

  it('other tenant admin gets 404', async () => {
    const other = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Globex',
      planId,
      adminEmail: 'owner@globex.test',
      creditLimit: 1_000,
    });
    expect(other.status).toBe(201);
    const otherAdmin = await stack.acceptInvite('owner@globex.test', newPassword());

    const users = await stack.api(otherAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/users`);
    expect(users.status).toBe(404);
    expect(users.body.error.code).toBe('NOT_FOUND');
    const oneUser = await stack.api(
      otherAdmin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/users/${userId}`,
    );
    expect(oneUser.status).toBe(404);
  });

  it('user gets 403 on admin routes', async () => {
    const users = await stack.api(user.idToken, 'GET', `/v1/tenants/${tenantId}/users`);
    expect(users.status).toBe(403);
    expect(users.body.error.code).toBe('FORBIDDEN');
    const plans = await stack.api(user.idToken, 'POST', '/v1/plans', planInput());
    expect(plans.status).toBe(403);
  });

  it('missing or tampered token gets 401', async () => {
    const missing = await stack.api(undefined, 'GET', '/v1/me');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHENTICATED');

    const [header, payload, signature] = user.idToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, 'custom:role': 'SuperAdmin' })).toString(
      'base64url',
    );
    const tampered = await stack.api(`${header}.${forged}.${signature}`, 'GET', '/v1/me');
    expect(tampered.status).toBe(401);

    const chat = await fetch(`${stack.info.apiUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${header}.${forged}.${signature}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
    });
    expect(chat.status).toBe(401);
  });

  it('user with too few credits gets 402 and no upstream call', async () => {
    const poorEmail = 'intern@acme.test';
    const invited = await stack.api(tenantAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: poorEmail,
      role: 'User',
    });
    await stack.api(
      tenantAdmin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${invited.body.userId}/credits`,
      {
        operation: 'allocate',
        amount: 1,
      },
    );
    const poor = await stack.acceptInvite(poorEmail, newPassword());
    await stack.upstream.clearRequests();

    const call = openaiFor(poor).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 50,
    });
    await expect(call).rejects.toMatchObject({ status: 402, code: 'INSUFFICIENT_CREDITS' });
    expect(await stack.upstream.listRequests()).toHaveLength(0);
    const me = await stack.api(poor.idToken, 'GET', '/v1/me');
    expect(me.body.balance).toBe(1);
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
