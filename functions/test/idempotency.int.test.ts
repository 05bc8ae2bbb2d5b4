import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResult,
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * `Idempotency-Key` on grants, allocations, reclaims and AI calls: repeats, concurrent
 * duplicates and reused keys move credits once.
 */
describe('idempotency', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let tenantId: string;
  let adminId: string;

  /** Sends a request with an `Idempotency-Key` header. */
  const send = async (token: string, method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${stack.info.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const result: ApiResult = {
      status: response.status,
      headers: response.headers,
      body: await response.json(),
    };
    return result;
  };
  const credits = async () =>
    (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`)).body;
  const grantsPath = () => `/v1/tenants/${tenantId}/grants`;
  const creditsPath = () => `/v1/tenants/${tenantId}/users/${adminId}/credits`;

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Cyberdyne',
      planId: plan.body.planId,
      adminEmail: 'ops@cyberdyne.test',
      creditLimit: 10_000_000,
    });
    tenantId = tenant.body.tenantId;
    adminId = tenant.body.admin.userId;
    admin = await stack.acceptInvite('ops@cyberdyne.test', newPassword());
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('repeated grant returns the first answer', async () => {
    const first = await send(superAdmin.idToken, 'POST', grantsPath(), 'grant-1', {
      amount: 1_000,
      reason: 'Top-up',
    });
    const second = await send(superAdmin.idToken, 'POST', grantsPath(), 'grant-1', {
      amount: 1_000,
      reason: 'Top-up',
    });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await credits()).granted).toBe(1_000);
  });

  it('key with another body answers 422', async () => {
    const response = await send(superAdmin.idToken, 'POST', grantsPath(), 'grant-1', {
      amount: 2_000,
      reason: 'Top-up',
    });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await credits()).granted).toBe(1_000);
  });

  it('concurrent duplicates grant once', async () => {
    const before = (await credits()).granted;
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        send(superAdmin.idToken, 'POST', grantsPath(), 'grant-burst', {
          amount: 500,
          reason: 'Burst',
        }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    for (const response of responses.filter((item) => item.status !== 201)) {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    }
    expect((await credits()).granted).toBe(before + 500);
  });

  it('allocation and reclaim move once per key', async () => {
    const allocate = { operation: 'allocate', amount: 300 };
    const first = await send(admin.idToken, 'POST', creditsPath(), 'move-1', allocate);
    const repeat = await send(admin.idToken, 'POST', creditsPath(), 'move-1', allocate);
    expect(first.status).toBe(200);
    expect(repeat.body).toEqual(first.body);

    const reclaim = { operation: 'reclaim', amount: 100 };
    await send(admin.idToken, 'POST', creditsPath(), 'move-2', reclaim);
    await send(admin.idToken, 'POST', creditsPath(), 'move-2', reclaim);

    expect((await stack.api(admin.idToken, 'GET', '/v1/me')).body.balance).toBe(200);
  });

  it('refusal is replayed too', async () => {
    const tooMuch = { operation: 'allocate', amount: 9_000_000 };
    const first = await send(admin.idToken, 'POST', creditsPath(), 'move-3', tooMuch);
    await stack.api(superAdmin.idToken, 'POST', grantsPath(), { amount: 9_000_000, reason: 'Big' });
    const repeat = await send(admin.idToken, 'POST', creditsPath(), 'move-3', tooMuch);

    expect(first.status).toBe(409);
    expect(first.body.error.code).toBe('POOL_INSUFFICIENT');
    expect(repeat.status).toBe(409);
    expect(repeat.body).toEqual(first.body);
    expect((await stack.api(admin.idToken, 'GET', '/v1/me')).body.balance).toBe(200);
  });

  it('repeated AI call is charged once', async () => {
    await send(admin.idToken, 'POST', creditsPath(), 'move-4', {
      operation: 'allocate',
      amount: 100_000,
    });
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Once only' }],
      max_tokens: 20,
    };
    await stack.upstream.clearRequests();
    const before = (await stack.api(admin.idToken, 'GET', '/v1/me')).body.balance;

    const first = await send(admin.idToken, 'POST', '/v1/chat/completions', 'call-1', body);
    const repeat = await send(admin.idToken, 'POST', '/v1/chat/completions', 'call-1', body);

    expect(first.status).toBe(200);
    const cost = Number(first.headers.get('x-creditgate-cost'));
    expect(repeat.status).toBe(409);
    expect(repeat.body.error.code).toBe('DUPLICATE_REQUEST');
    expect(repeat.body.error.message).toContain(first.headers.get('x-creditgate-request-id'));
    expect(repeat.body.error.details).toEqual({
      requestId: first.headers.get('x-creditgate-request-id'),
      cost,
    });
    expect(repeat.headers.get('x-creditgate-request-id')).toMatch(/^req_/);
    expect(repeat.headers.get('x-creditgate-request-id')).not.toBe(
      first.headers.get('x-creditgate-request-id'),
    );
    expect(await stack.upstream.listRequests()).toHaveLength(1);
    expect((await stack.api(admin.idToken, 'GET', '/v1/me')).body.balance).toBe(before - cost);
  });

  it('malformed key answers 400', async () => {
    const response = await send(superAdmin.idToken, 'POST', grantsPath(), 'x'.repeat(256), {
      amount: 5,
      reason: 'Too long a key',
    });

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('Idempotency-Key');
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
