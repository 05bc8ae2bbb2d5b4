import { newRequestId } from '@creditgate/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';
import { placeHold } from '../src/ai/holds.repository';
import { stubRepositoryEnv } from './stack-env';

/**
 * The hold sweeper on a stack of its own. A chat call is cut between hold and settlement by
 * killing the gateway while upstream hangs, as when a Lambda instance dies mid-call. Calls
 * on this stack time out after `CALL_TIMEOUT_MS` with no grace, so the crashed call's hold
 * expires a few seconds later and the sweeper, invoked through the Lambda Invoke API, can
 * release it.
 */
const CALL_TIMEOUT_MS = 5_000;
const USER_CREDITS = 10_000;

interface SweepCounts {
  examined: number;
  released: number;
  alreadyClosed: number;
  conflicts: number;
  failed: number;
  isLimitReached: boolean;
}

describe('hold sweeper', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let user: Session;
  let tenantId: string;
  let userId: string;
  /** The crashed call's request id and hold, read from the user's ledger. */
  let crashed: { requestId: string; amount: number; createdAt: string };

  const sweep = async (): Promise<SweepCounts> => {
    const result = await stack.invoke('release-expired-holds');
    expect(result.functionError, JSON.stringify(result.payload)).toBeUndefined();
    return result.payload as SweepCounts;
  };
  const requestLedger = async (requestId: string) =>
    (await stack.api(user.idToken, 'GET', `/v1/me/ledger?requestId=${requestId}`)).body.items as {
      type: string;
      amount: number;
      actorId: string;
      reason?: string;
    }[];
  const expectInvariant = async () => {
    const credits = await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`);
    const { granted, poolBalance, allocated, held, spent } = credits.body;
    expect(poolBalance + allocated + held + spent).toBe(granted);
    return credits.body;
  };

  beforeAll(async () => {
    stack = await startTestStack({
      handlerEnv: {
        AI_UPSTREAM_TOTAL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
        AI_HOLD_GRACE_MS: '0',
      },
    });
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Sweepco',
      planId: plan.body.planId,
      adminEmail: 'admin@sweepco.test',
      creditLimit: 1_000_000,
    });
    tenantId = tenant.body.tenantId;
    const admin = await stack.acceptInvite('admin@sweepco.test', newPassword());
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: 'dev@sweepco.test',
      role: 'User',
    });
    userId = invited.body.userId;
    user = await stack.acceptInvite('dev@sweepco.test', newPassword());
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 100_000,
      reason: 'Sweeper test',
    });
    const allocation = await stack.api(
      admin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${userId}/credits`,
      { operation: 'allocate', amount: USER_CREDITS },
    );
    expect(allocation.status).toBe(200);

    // Direct hold writes below go to this stack's DynamoDB Local through the repository.
    stubRepositoryEnv(stack.info);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack?.stop();
  });

  it('crashed call leaves hold open', async () => {
    await stack.upstream.setBehaviour({ mode: 'hang', match: { path: '/v1/chat/completions' } });
    const call = fetch(`${stack.info.apiUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.idToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Never answered' }],
        max_tokens: 50,
      }),
      signal: AbortSignal.timeout(30_000),
    }).then(
      (response) => `HTTP ${response.status}`,
      (error: unknown) => error,
    );

    // Upstream receives the request only after the hold is placed.
    await vi.waitFor(
      async () => {
        const requests = await stack.upstream.listRequests();
        expect(requests.some((request) => request.path === '/v1/chat/completions')).toBe(true);
      },
      { timeout: 10_000, interval: 50 },
    );
    await stack.crashAndRestartGateway();
    await stack.upstream.resetBehaviour();

    expect(await call).toBeInstanceOf(Error);
    const ledger = await stack.api(user.idToken, 'GET', '/v1/me/ledger');
    const holdEntry = ledger.body.items.find((entry: { type: string }) => entry.type === 'HOLD');
    crashed = {
      requestId: holdEntry.requestId,
      amount: holdEntry.amount,
      createdAt: holdEntry.createdAt,
    };
    expect(crashed.amount).toBeGreaterThan(0);
    expect((await requestLedger(crashed.requestId)).map((entry) => entry.type)).toEqual(['HOLD']);
    const me = (await stack.api(user.idToken, 'GET', '/v1/me')).body;
    expect(me.balance).toBe(USER_CREDITS - crashed.amount);
    expect(me.held).toBe(crashed.amount);
    await expectInvariant();
  });

  it('sweeper releases expired hold', async () => {
    // The hold expires CALL_TIMEOUT_MS after the call started (grace 0).
    const expiresAt = Date.parse(crashed.createdAt) + CALL_TIMEOUT_MS;
    const wait = expiresAt - Date.now() + 100;
    expect(wait).toBeLessThan(CALL_TIMEOUT_MS + 1_000);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

    const counts = await sweep();

    expect(counts).toMatchObject({ examined: 1, released: 1, alreadyClosed: 0, failed: 0 });
    const me = (await stack.api(user.idToken, 'GET', '/v1/me')).body;
    expect(me.balance).toBe(USER_CREDITS);
    expect(me.held).toBe(0);
    const entries = await requestLedger(crashed.requestId);
    expect(entries.map((entry) => entry.type)).toEqual(['HOLD', 'RELEASE']);
    expect(entries[1]).toMatchObject({ amount: crashed.amount, actorId: 'system' });
    expect(entries[1]?.reason).toMatch(/expired/);
    const credits = await expectInvariant();
    expect(credits.held).toBe(0);
    expect(credits.spent).toBe(0);
  });

  it('second run releases nothing', async () => {
    const counts = await sweep();

    expect(counts).toMatchObject({ examined: 0, released: 0, failed: 0 });
    expect((await requestLedger(crashed.requestId)).map((entry) => entry.type)).toEqual([
      'HOLD',
      'RELEASE',
    ]);
  });

  it('leaves unexpired hold alone', async () => {
    const now = Date.now();
    const unexpired = {
      tenantId,
      userId,
      requestId: newRequestId(),
      amount: 500,
      model: 'gpt-4o-mini',
      holdExpiresAt: now + 60 * 60_000,
      createdAt: new Date(now).toISOString(),
    };
    const expired = {
      ...unexpired,
      requestId: newRequestId(),
      amount: 300,
      holdExpiresAt: now - 1,
    };
    await placeHold(unexpired);
    await placeHold(expired);

    const counts = await sweep();

    expect(counts).toMatchObject({ examined: 1, released: 1 });
    expect((await requestLedger(unexpired.requestId)).map((entry) => entry.type)).toEqual(['HOLD']);
    expect((await requestLedger(expired.requestId)).map((entry) => entry.type)).toEqual([
      'HOLD',
      'RELEASE',
    ]);
    const me = (await stack.api(user.idToken, 'GET', '/v1/me')).body;
    expect(me.held).toBe(unexpired.amount);
    expect(me.balance).toBe(USER_CREDITS - unexpired.amount);
    await expectInvariant();
  });

  it('settled call leaves nothing to sweep', async () => {
    const response = await stack.api(user.idToken, 'POST', '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Answered at once' }],
      max_tokens: 20,
    });
    expect(response.status).toBe(200);

    const counts = await sweep();

    expect(counts).toMatchObject({ examined: 0, released: 0 });
    await expectInvariant();
  });
});
