import { computeCost, defaultPriceTable, type ModelPrice } from '@creditgate/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';
import { estimateHold, estimatePromptTokens } from '../src/ai/estimate';

/**
 * Concurrency on DynamoDB Local. It serialises transactions instead of cancelling them with
 * TransactionConflict, so these tests prove the conditions, and the conflict retries are
 * unit tested with mocks.
 */
describe('concurrency', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let tenantId: string;
  const price = defaultPriceTable['gpt-4o-mini'] as ModelPrice;
  const messages = [{ role: 'user' as const, content: 'Count me in' }];
  const maxTokens = 40;
  const usersPath = () => `/v1/tenants/${tenantId}/users`;

  const invite = async (email: string) => {
    const invited = await stack.api(admin.idToken, 'POST', usersPath(), { email, role: 'User' });
    return {
      userId: invited.body.userId as string,
      session: await stack.acceptInvite(email, newPassword()),
    };
  };
  const allocate = (userId: string, amount: number) =>
    stack.api(admin.idToken, 'POST', `${usersPath()}/${userId}/credits`, {
      operation: 'allocate',
      amount,
    });
  const expectInvariant = async () => {
    const credits = (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`))
      .body;
    expect(credits.poolBalance + credits.allocated + credits.held + credits.spent).toBe(
      credits.granted,
    );
  };

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ seatLimit: 20, concurrentStreams: 100, requestsPerMinute: 1_000 }),
    );
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Initrode',
      planId: plan.body.planId,
      adminEmail: 'boss@initrode.test',
      creditLimit: 10_000_000,
    });
    tenantId = tenant.body.tenantId;
    admin = await stack.acceptInvite('boss@initrode.test', newPassword());
  });

  afterAll(async () => {
    await stack?.upstream.resetBehaviour();
    await stack?.stop();
  });

  it('50 calls against 10 holds: exactly 10 succeed', async () => {
    const hold = estimateHold({ price, messages, maxTokens, choices: 1 });
    // Upstream reports exactly the estimated tokens, so each call costs exactly its hold.
    const cost = computeCost(price, {
      promptTokens: estimatePromptTokens(messages),
      cachedPromptTokens: 0,
      completionTokens: maxTokens,
    });
    expect(cost).toBe(hold);
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 10 * hold,
      reason: 'Exact',
    });
    const { userId, session } = await invite('racer@initrode.test');
    expect((await allocate(userId, 10 * hold)).status).toBe(200);
    await stack.upstream.clearRequests();
    // The delay keeps the first holds open until every call has tried to place its own.
    await stack.upstream.setBehaviour({
      mode: 'normal',
      delayMs: 2_000,
      usage: {
        prompt_tokens: estimatePromptTokens(messages),
        completion_tokens: maxTokens,
        cached_tokens: 0,
      },
      match: { path: '/v1/chat/completions' },
    });

    const client = new OpenAI({
      baseURL: `${stack.info.apiUrl}/v1`,
      apiKey: session.idToken,
      maxRetries: 0,
    });
    const calls = Array.from({ length: 50 }, () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: maxTokens }),
    );
    const balancesDuringRun: number[] = [];
    const sampler = (async () => {
      for (let sample = 0; sample < 10; sample++) {
        balancesDuringRun.push((await stack.api(session.idToken, 'GET', '/v1/me')).body.balance);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const results = await Promise.allSettled(calls);
    await sampler;
    await stack.upstream.resetBehaviour();

    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter(
      (result) => result.status === 'rejected',
    ) as PromiseRejectedResult[];
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const result of refused)
      expect(result.reason).toMatchObject({ status: 402, code: 'INSUFFICIENT_CREDITS' });
    expect(await stack.upstream.listRequests()).toHaveLength(10);
    const me = (await stack.api(session.idToken, 'GET', '/v1/me')).body;
    expect(me).toMatchObject({ balance: 0, held: 0, spent: 10 * hold });
    expect(Math.min(...balancesDuringRun)).toBeGreaterThanOrEqual(0);
    await expectInvariant();
  });

  it('two allocations from a pool that fits one', async () => {
    const { poolBalance } = (
      await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`)
    ).body;
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 1_000 - poolBalance,
      reason: 'Exactly one allocation',
    });
    const first = await invite('left@initrode.test');
    const second = await invite('right@initrode.test');

    const responses = await Promise.all([
      allocate(first.userId, 1_000),
      allocate(second.userId, 1_000),
    ]);

    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    expect(responses.find((response) => response.status === 409)?.body.error.code).toBe(
      'POOL_INSUFFICIENT',
    );
    await expectInvariant();
  });

  it('allocation and spending on one user at once', async () => {
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 100_000,
      reason: 'More',
    });
    const { userId, session } = await invite('busy@initrode.test');
    await allocate(userId, 5_000);
    const client = new OpenAI({
      baseURL: `${stack.info.apiUrl}/v1`,
      apiKey: session.idToken,
      maxRetries: 0,
    });

    const calls = Array.from({ length: 6 }, () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: maxTokens }),
    );
    const allocations = Array.from({ length: 6 }, () => allocate(userId, 100));
    const [callResults, allocationResults] = await Promise.all([
      Promise.allSettled(calls),
      Promise.all(allocations),
    ]);

    expect(callResults.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(allocationResults.every((response) => response.status === 200)).toBe(true);
    const me = (await stack.api(session.idToken, 'GET', '/v1/me')).body;
    expect(me.held).toBe(0);
    expect(me.balance + me.spent).toBe(5_000 + 6 * 100);
    await expectInvariant();
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
