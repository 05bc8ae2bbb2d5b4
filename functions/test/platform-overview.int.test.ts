import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/** The SuperAdmins' overview sums every tenant's records and daily usage, exactly. */
describe('platform overview', () => {
  let stack: TestStack;
  let superAdmin: Session;
  const tenantIds: string[] = [];
  const callsByTenant = new Map<string, { calls: number; cost: number }>();
  const today = new Date().toISOString().slice(0, 10);

  const overview = async (query = '') =>
    stack.api(superAdmin.idToken, 'GET', `/v1/platform/overview${query}`);

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    for (const [index, name] of ['Busy', 'Quiet', 'Idle'].entries()) {
      const email = `admin@${name.toLowerCase()}.test`;
      const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
        name,
        planId: plan.body.planId,
        adminEmail: email,
        creditLimit: 1_000_000,
      });
      const tenantId: string = tenant.body.tenantId;
      tenantIds.push(tenantId);
      await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
        amount: 50_000,
        reason: 'Start',
      });
      const admin = await stack.acceptInvite(email, newPassword());
      await stack.api(
        admin.idToken,
        'POST',
        `/v1/tenants/${tenantId}/users/${tenant.body.admin.userId}/credits`,
        { operation: 'allocate', amount: 20_000 },
      );
      // Busy makes three calls, Quiet one, Idle none.
      const client = new OpenAI({
        baseURL: `${stack.info.apiUrl}/v1`,
        apiKey: admin.idToken,
        maxRetries: 0,
      });
      const totals = { calls: 0, cost: 0 };
      for (let call = 0; call < [3, 1, 0][index]; call++) {
        const { response } = await client.chat.completions
          .create({
            model: 'gpt-4o',
            messages: [{ role: 'user', content: `Overview ${call}` }],
            max_tokens: 20,
          })
          .withResponse();
        totals.calls++;
        totals.cost += Number(response.headers.get('x-creditgate-cost'));
      }
      callsByTenant.set(tenantId, totals);
    }
    await stack.api(superAdmin.idToken, 'PATCH', `/v1/tenants/${tenantIds[2]}`, {
      status: 'SUSPENDED',
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('sums credits, calls and tenants exactly', async () => {
    const response = await overview('?days=7');
    expect(response.status).toBe(200);
    const body = response.body;

    const perTenant = await Promise.all(
      tenantIds.map(
        async (tenantId) =>
          (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`)).body,
      ),
    );
    for (const field of ['granted', 'poolBalance', 'allocated', 'held', 'spent']) {
      const sum = perTenant.reduce((total, credits) => total + credits[field], 0);
      expect(body.credits[field], field).toBe(sum);
    }
    expect(body.tenants).toEqual({ total: 3, active: 2, suspended: 1 });

    expect(body.to).toBe(today);
    expect(body.from < today).toBe(true);
    expect(body.callsPerDay).toHaveLength(7);
    const todayFigures = body.callsPerDay.find((day: { day: string }) => day.day === today);
    const expected = [...callsByTenant.values()].reduce(
      (total, figures) => ({
        calls: total.calls + figures.calls,
        cost: total.cost + figures.cost,
      }),
      { calls: 0, cost: 0 },
    );
    expect(todayFigures).toEqual({ day: today, ...expected });
    expect(body.credits.spent).toBe(expected.cost);
  });

  it('ranks the tenants that spent most', async () => {
    const { body } = await overview();
    expect(body.callsPerDay).toHaveLength(30);
    expect(body.topTenants.map((tenant: { name: string }) => tenant.name)).toEqual([
      'Busy',
      'Quiet',
    ]);
    expect(body.topTenants[0].cost).toBe(callsByTenant.get(tenantIds[0] as string)?.cost);
  });

  it('rejects a bad range naming the field', async () => {
    for (const query of ['?days=0', '?days=91', '?days=ten', '?range=7']) {
      const response = await overview(query);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await overview('?days=91')).body.error.message).toContain('days');
  });
});
