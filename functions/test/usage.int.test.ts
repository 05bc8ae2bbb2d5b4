import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/** Tenant usage summed from daily usage items that the settlement keeps. */
describe('usage', () => {
  let stack: TestStack;
  let admin: Session;
  let tenantId: string;
  const costs = new Map<string, number>();
  const calls: { userId: string; model: string; cost: number }[] = [];
  const today = new Date().toISOString().slice(0, 10);

  const call = async (session: Session, userId: string, model: string) => {
    const client = new OpenAI({
      baseURL: `${stack.info.apiUrl}/v1`,
      apiKey: session.idToken,
      maxRetries: 0,
    });
    const { response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: `Usage of ${model}` }], max_tokens: 20 })
      .withResponse();
    const cost = Number(response.headers.get('x-creditgate-cost'));
    calls.push({ userId, model, cost });
    costs.set(userId, (costs.get(userId) ?? 0) + cost);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const superAdmin = await stack.signIn(
      stack.info.superAdmin.email,
      stack.info.superAdmin.password,
    );
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Metrics',
      planId: plan.body.planId,
      adminEmail: 'head@metrics.test',
      creditLimit: 10_000_000,
    });
    tenantId = tenant.body.tenantId;
    const adminId = tenant.body.admin.userId;
    admin = await stack.acceptInvite('head@metrics.test', newPassword());
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 1_000_000,
      reason: 'Start',
    });
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: 'analyst@metrics.test',
      role: 'User',
    });
    const analyst = await stack.acceptInvite('analyst@metrics.test', newPassword());
    for (const userId of [adminId, invited.body.userId]) {
      await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users/${userId}/credits`, {
        operation: 'allocate',
        amount: 100_000,
      });
    }
    await call(admin, adminId, 'gpt-4o-mini');
    await call(admin, adminId, 'gpt-4o');
    await call(analyst, invited.body.userId, 'gpt-4o-mini');
    await call(analyst, invited.body.userId, 'gpt-4o-mini');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('sums calls by day, user and model', async () => {
    const usage = await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}/usage`);

    expect(usage.status).toBe(200);
    const total = calls.reduce((sum, item) => sum + item.cost, 0);
    expect(usage.body.totals).toMatchObject({ calls: 4, cost: total });
    expect(usage.body.days).toEqual([
      expect.objectContaining({ day: today, calls: 4, cost: total }),
    ]);
    for (const [userId, cost] of costs) {
      expect(
        usage.body.users.find((item: { userId: string }) => item.userId === userId),
      ).toMatchObject({ cost });
    }
    const mini = calls
      .filter((item) => item.model === 'gpt-4o-mini')
      .reduce((sum, item) => sum + item.cost, 0);
    expect(
      usage.body.models.find((item: { model: string }) => item.model === 'gpt-4o-mini'),
    ).toMatchObject({
      calls: 3,
      cost: mini,
    });
  });

  it('reports burn rate and run-out day', async () => {
    const usage = await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}/usage`);
    const total = calls.reduce((sum, item) => sum + item.cost, 0);

    expect(usage.body.burnRate.creditsPerDay).toBeCloseTo(total / 7, 2);
    expect(usage.body.burnRate.runsOutOn > today).toBe(true);
    expect(usage.body.burnRate.users).toHaveLength(2);
  });

  it('range outside the calls is empty', async () => {
    const usage = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/usage?from=2020-01-01&to=2020-01-31`,
    );
    expect(usage.body.totals.calls).toBe(0);
    expect(usage.body.days).toEqual([]);
  });

  it('bad ranges answer 400', async () => {
    const reversed = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/usage?from=2026-02-01&to=2026-01-01`,
    );
    expect(reversed.status).toBe(400);
    const tooLong = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/usage?from=2025-01-01&to=2026-01-01`,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('from');
  });

  it('ledger filters by user, type and request', async () => {
    const path = `/v1/tenants/${tenantId}/ledger`;
    const analystId = calls[2]?.userId as string;

    const byUser = await stack.api(admin.idToken, 'GET', `${path}?userId=${analystId}&limit=100`);
    expect(byUser.status).toBe(200);
    expect(new Set(byUser.body.items.map((entry: { userId: string }) => entry.userId))).toEqual(
      new Set([analystId]),
    );

    const settlements = await stack.api(admin.idToken, 'GET', `${path}?type=SETTLE&limit=100`);
    expect(settlements.body.items).toHaveLength(4);
    expect(new Set(settlements.body.items.map((entry: { type: string }) => entry.type))).toEqual(
      new Set(['SETTLE']),
    );

    const requestId = settlements.body.items[0].requestId;
    const oneCall = await stack.api(admin.idToken, 'GET', `${path}?requestId=${requestId}`);
    expect(oneCall.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'HOLD',
      'SETTLE',
    ]);

    const badType = await stack.api(admin.idToken, 'GET', `${path}?type=REFUND`);
    expect(badType.status).toBe(400);
    expect(badType.body.error.message).toContain('type');
  });
});
