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
 * The plan's per-user limits, enforced inside the hold transaction: requests per minute and
 * calls in flight. A refused call answers 429 RATE_LIMITED with Retry-After, is charged
 * nothing and never reaches upstream.
 */
describe('rate limits', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let tenantId: string;
  const messages = [{ role: 'user' as const, content: 'Limit me' }];

  const member = async (email: string) => {
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email,
      role: 'User',
    });
    await stack.api(
      admin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${invited.body.userId}/credits`,
      {
        operation: 'allocate',
        amount: 100_000,
      },
    );
    return stack.acceptInvite(email, newPassword());
  };
  const client = (session: Session) =>
    new OpenAI({ baseURL: `${stack.info.apiUrl}/v1`, apiKey: session.idToken, maxRetries: 0 });

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ requestsPerMinute: 3, concurrentStreams: 1 }),
    );
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Throttle',
      planId: plan.body.planId,
      adminEmail: 'lead@throttle.test',
      creditLimit: 10_000_000,
    });
    tenantId = tenant.body.tenantId;
    admin = await stack.acceptInvite('lead@throttle.test', newPassword());
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 1_000_000,
      reason: 'Start',
    });
  });

  afterAll(async () => {
    await stack?.upstream.resetBehaviour();
    await stack?.stop();
  });

  it('requests per minute answer 429 with Retry-After', async () => {
    // Start at the beginning of a minute, so all four calls share one counter.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000)
      await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
    const session = await member('busy@throttle.test');
    for (let call = 0; call < 3; call++) {
      await client(session).chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        max_tokens: 5,
      });
    }
    await stack.upstream.clearRequests();
    const before = (await stack.api(session.idToken, 'GET', '/v1/me')).body;

    const response = await fetch(`${stack.info.apiUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.idToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 5 }),
    });

    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toContain('3 AI requests per minute');
    expect(body.error.message).toContain(`Your balance is ${before.balance} credits`);
    expect(await stack.upstream.listRequests()).toHaveLength(0);
    expect((await stack.api(session.idToken, 'GET', '/v1/me')).body).toMatchObject({
      balance: before.balance,
      held: 0,
    });
  });

  it('second call in flight answers 429', async () => {
    const session = await member('stream@throttle.test');
    await stack.upstream.setBehaviour({
      mode: 'normal',
      holdAfterFirstChunk: true,
      match: { path: '/v1/chat/completions' },
    });
    const first = await client(session).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 5,
      stream: true,
    });
    const reader = first[Symbol.asyncIterator]();
    await reader.next();

    const second = client(session).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 5,
    });
    await expect(second).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED' });

    await stack.upstream.releaseHeld();
    await stack.upstream.resetBehaviour();
    while (!(await reader.next()).done) {
      // Read the first stream to its end, so its call settles.
    }
    const third = await client(session).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      max_tokens: 5,
    });
    expect(third.choices).toHaveLength(1);
    expect((await stack.api(session.idToken, 'GET', '/v1/me')).body.held).toBe(0);
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
