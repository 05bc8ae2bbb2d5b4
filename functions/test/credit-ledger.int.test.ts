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
 * Credits under pressure: calls that cost more than their hold, concurrent calls against a
 * small balance, and concurrent allocations and reclaims. Credits are never created or
 * destroyed: `granted = poolBalance + allocated + held + spent` after every scenario.
 */
describe('credit ledger', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let tenantId: string;

  const openai = (session: Session) =>
    new OpenAI({ baseURL: `${stack.info.apiUrl}/v1`, apiKey: session.idToken, maxRetries: 0 });
  const usersPath = () => `/v1/tenants/${tenantId}/users`;
  const expectInvariant = async () => {
    const credits = (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`))
      .body;
    expect(credits.poolBalance + credits.allocated + credits.held + credits.spent).toBe(
      credits.granted,
    );
    expect(credits.held).toBe(0);
    return credits;
  };
  const newMember = async (email: string, credits: number) => {
    const invited = await stack.api(admin.idToken, 'POST', usersPath(), { email, role: 'User' });
    const session = await stack.acceptInvite(email, newPassword());
    if (credits > 0) {
      const moved = await stack.api(
        admin.idToken,
        'POST',
        `${usersPath()}/${invited.body.userId}/credits`,
        {
          operation: 'allocate',
          amount: credits,
        },
      );
      expect(moved.status).toBe(200);
    }
    return { session, userId: invited.body.userId as string };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ maxTokensPerRequest: 50, concurrentStreams: 100, requestsPerMinute: 1_000 }),
    );
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Tyrell',
      planId: plan.body.planId,
      adminEmail: 'ceo@tyrell.test',
      creditLimit: 100_000_000,
    });
    tenantId = tenant.body.tenantId;
    admin = await stack.acceptInvite('ceo@tyrell.test', newPassword());
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 10_000_000,
      reason: 'Start',
    });
  });

  afterAll(async () => {
    await stack?.upstream.resetBehaviour();
    await stack?.stop();
  });

  it('cost above the hold takes what the balance covers', async () => {
    const { session } = await newMember('heavy@tyrell.test', 10);
    // Upstream reports far more completion tokens than the plan's allowance of 50.
    await stack.upstream.setBehaviour({
      mode: 'normal',
      usage: { completion_tokens: 4_000 },
      count: 1,
    });

    const { response } = await openai(session)
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Go long' }],
      })
      .withResponse();

    // The hold and the rest of the balance are the user's 10 credits, far less than 4,000 tokens cost.
    const charged = Number(response.headers.get('x-creditgate-cost'));
    expect(charged).toBe(10);
    const me = (await stack.api(session.idToken, 'GET', '/v1/me')).body;
    expect(me.balance).toBe(0);
    expect(me.spent).toBe(10);
    const requestId = response.headers.get('x-creditgate-request-id');
    const ledger = await stack.api(session.idToken, 'GET', `/v1/me/ledger?requestId=${requestId}`);
    const settlement = ledger.body.items.find((entry: { type: string }) => entry.type === 'SETTLE');
    expect(settlement.amount).toBe(10);
    expect(settlement.shortfall).toBeGreaterThan(0);
    expect(settlement.usage.completionTokens).toBe(4_000);
    await expectInvariant();
  });

  it('concurrent calls never overdraw a balance', async () => {
    const { session } = await newMember('burst@tyrell.test', 20);
    // Upstream waits, so every call tries to place its hold before any call settles.
    await stack.upstream.setBehaviour({
      mode: 'normal',
      delayMs: 1_500,
      match: { path: '/v1/chat/completions' },
    });
    const calls = Array.from({ length: 12 }, () =>
      openai(session).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Quick one' }],
        max_tokens: 50,
      }),
    );
    const results = await Promise.allSettled(calls);
    await stack.upstream.resetBehaviour();

    const refused = results.filter((result) => result.status === 'rejected');
    for (const result of refused) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 402 });
    }
    expect(refused.length).toBeGreaterThan(0);
    const me = (await stack.api(session.idToken, 'GET', '/v1/me')).body;
    expect(me.balance).toBeGreaterThanOrEqual(0);
    expect(me.held).toBe(0);
    expect(me.balance + me.spent).toBe(20);
    await expectInvariant();
  });

  it('concurrent allocations and reclaims keep the sums', async () => {
    const { userId } = await newMember('juggler@tyrell.test', 0);
    const before = await expectInvariant();
    const moves = Array.from({ length: 20 }, (_, index) =>
      stack.api(admin.idToken, 'POST', `${usersPath()}/${userId}/credits`, {
        operation: index % 2 === 0 ? 'allocate' : 'reclaim',
        amount: 7,
      }),
    );
    const statuses = (await Promise.all(moves)).map((response) => response.status);

    for (const status of statuses) expect([200, 409]).toContain(status);
    const user = (await stack.api(admin.idToken, 'GET', `${usersPath()}/${userId}`)).body;
    const allocations = statuses.filter(
      (status, index) => status === 200 && index % 2 === 0,
    ).length;
    const reclaims = statuses.filter((status, index) => status === 200 && index % 2 === 1).length;
    expect(user.balance).toBe(7 * (allocations - reclaims));
    const after = await expectInvariant();
    expect(after.poolBalance).toBe(before.poolBalance - user.balance);
  });

  it('upstream failure releases the whole hold', async () => {
    const { session } = await newMember('unlucky@tyrell.test', 10_000);
    await stack.upstream.setBehaviour({ mode: 'status', status: 500, count: 1 });

    const call = openai(session).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'This fails upstream' }],
    });

    await expect(call).rejects.toMatchObject({ status: 502 });
    const me = (await stack.api(session.idToken, 'GET', '/v1/me')).body;
    expect(me.balance).toBe(10_000);
    expect(me.held).toBe(0);
    const ledger = await stack.api(session.idToken, 'GET', '/v1/me/ledger');
    expect(ledger.body.items.map((entry: { type: string }) => entry.type).slice(0, 2)).toEqual([
      'RELEASE',
      'HOLD',
    ]);
    await expectInvariant();
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
