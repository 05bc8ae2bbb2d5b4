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

/** Plan CRUD and the price table, whose changes apply to calls that start after them. */
describe('plans and prices', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let member: Session;
  let planId: string;
  const messages = [{ role: 'user' as const, content: 'Price check please' }];

  const callCost = async () => {
    const { response } = await new OpenAI({
      baseURL: `${stack.info.apiUrl}/v1`,
      apiKey: member.idToken,
      maxRetries: 0,
    }).chat.completions
      .create({ model: 'gpt-4o-mini', messages, max_tokens: 10 })
      .withResponse();
    return Number(response.headers.get('x-creditgate-cost'));
  };
  const costAt = (price: { input: number; cachedInput: number; output: number }) => {
    const usage = computeUsage({ model: 'gpt-4o-mini', messages, max_tokens: 10 });
    return computeCost(price, {
      promptTokens: usage.prompt_tokens,
      cachedPromptTokens: usage.prompt_tokens_details.cached_tokens,
      completionTokens: usage.completion_tokens,
    });
  };

  beforeAll(async () => {
    stack = await startTestStack({
      handlerEnv: { PRICE_CHANGE_DELAY_MS: '1500', CALL_CONTEXT_CACHE_MS: '500' },
    });
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    planId = (
      await stack.api(
        superAdmin.idToken,
        'POST',
        '/v1/plans',
        planInput({ models: ['gpt-4o-mini'] }),
      )
    ).body.planId;
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Soylent',
      planId,
      adminEmail: 'chief@soylent.test',
      creditLimit: 1_000_000,
    });
    member = await stack.acceptInvite('chief@soylent.test', newPassword());
    const tenantId = tenant.body.tenantId;
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 500_000,
      reason: 'Start',
    });
    await stack.api(
      member.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${tenant.body.admin.userId}/credits`,
      {
        operation: 'allocate',
        amount: 500_000,
      },
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('plan is created, listed and changed', async () => {
    const created = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ name: 'Spare' }),
    );
    expect(created.status).toBe(201);
    const listed = await stack.api(superAdmin.idToken, 'GET', '/v1/plans');
    expect(listed.body.items.map((plan: { planId: string }) => plan.planId)).toContain(
      created.body.planId,
    );

    const changed = await stack.api(
      superAdmin.idToken,
      'PATCH',
      `/v1/plans/${created.body.planId}`,
      {
        seatLimit: 3,
        models: ['gpt-4o'],
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ seatLimit: 3, models: ['gpt-4o'], name: 'Spare' });

    const unpriced = await stack.api(
      superAdmin.idToken,
      'PATCH',
      `/v1/plans/${created.body.planId}`,
      {
        models: ['gpt-unknown'],
      },
    );
    expect(unpriced.status).toBe(400);
    expect(unpriced.body.error.message).toContain('models.0');
  });

  it('unused plan is deleted', async () => {
    const created = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ name: 'Temporary' }),
    );
    const deleted = await stack.api(
      superAdmin.idToken,
      'DELETE',
      `/v1/plans/${created.body.planId}`,
    );
    expect(deleted.status).toBe(204);
    const again = await stack.api(superAdmin.idToken, 'DELETE', `/v1/plans/${created.body.planId}`);
    expect(again.status).toBe(404);
  });

  it('plan in use cannot be deleted', async () => {
    const response = await stack.api(superAdmin.idToken, 'DELETE', `/v1/plans/${planId}`);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('CONFLICT');
    expect(response.body.error.details.tenantCount).toBe(1);
    const listed = await stack.api(superAdmin.idToken, 'GET', '/v1/plans');
    expect(listed.body.items.map((plan: { planId: string }) => plan.planId)).toContain(planId);
  });

  it('price table starts with defaults', async () => {
    const prices = await stack.api(superAdmin.idToken, 'GET', '/v1/platform/prices');
    expect(prices.status).toBe(200);
    expect(prices.body.prices).toEqual(defaultPriceTable);
  });

  it('price change applies to later calls', async () => {
    const oldPrice = defaultPriceTable['gpt-4o-mini'] as {
      input: number;
      cachedInput: number;
      output: number;
    };
    const newPrice = {
      input: oldPrice.input * 10,
      cachedInput: oldPrice.cachedInput * 10,
      output: oldPrice.output * 10,
    };
    const changed = await stack.api(superAdmin.idToken, 'PUT', '/v1/platform/prices', {
      prices: { ...defaultPriceTable, 'gpt-4o-mini': newPrice },
    });
    expect(changed.status).toBe(200);
    const effectiveAt = Date.parse(changed.body.effectiveAt);
    expect(effectiveAt).toBeGreaterThan(Date.now());

    // A call that starts before `effectiveAt` still pays the old price.
    expect(await callCost()).toBe(costAt(oldPrice));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, effectiveAt - Date.now()) + 50));
    expect(await callCost()).toBe(costAt(newPrice));
    expect(costAt(newPrice)).toBeGreaterThan(costAt(oldPrice));

    const audit = await stack.api(superAdmin.idToken, 'GET', '/v1/audit?action=price.update');
    expect(audit.body.items).toHaveLength(1);
  });

  it('price of a model in a plan cannot be removed', async () => {
    const { 'gpt-4o-mini': _removed, ...withoutMini } = defaultPriceTable;
    const response = await stack.api(superAdmin.idToken, 'PUT', '/v1/platform/prices', {
      prices: withoutMini,
    });
    expect(response.status).toBe(409);
    expect(response.body.error.details.models).toEqual(['gpt-4o-mini']);
  });

  it('invalid prices answer 400', async () => {
    const response = await stack.api(superAdmin.idToken, 'PUT', '/v1/platform/prices', {
      prices: { 'gpt-4o-mini': { input: -1, cachedInput: 1, output: 1 } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('prices.gpt-4o-mini.input');
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
