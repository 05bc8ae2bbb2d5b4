import { computeCost, defaultPriceTable, type ModelPrice } from '@creditgate/shared';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeEmbedding } from '../../infra/local/openai-upstream/server';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/** `POST /v1/embeddings` through the proxy with the openai SDK, billed on input tokens. */
describe('embeddings', () => {
  let stack: TestStack;
  let member: Session;
  const model = 'text-embedding-3-small';
  const price = defaultPriceTable[model] as ModelPrice;

  const client = () =>
    new OpenAI({ baseURL: `${stack.info.apiUrl}/v1`, apiKey: member.idToken, maxRetries: 0 });
  const balance = async () =>
    (await stack.api(member.idToken, 'GET', '/v1/me')).body.balance as number;

  beforeAll(async () => {
    stack = await startTestStack();
    const superAdmin = await stack.signIn(
      stack.info.superAdmin.email,
      stack.info.superAdmin.password,
    );
    const plan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ models: ['gpt-4o-mini', model] }),
    );
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Vector',
      planId: plan.body.planId,
      adminEmail: 'ada@vector.test',
      creditLimit: 1_000_000,
    });
    member = await stack.acceptInvite('ada@vector.test', newPassword());
    const tenantId = tenant.body.tenantId;
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 100_000,
      reason: 'Start',
    });
    await stack.api(
      member.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${tenant.body.admin.userId}/credits`,
      {
        operation: 'allocate',
        amount: 100_000,
      },
    );
  });

  afterAll(async () => {
    await stack?.upstream.resetBehaviour();
    await stack?.stop();
  });

  it('returns the SDK its vectors and bills input tokens', async () => {
    const before = await balance();
    const input = ['first text to embed', 'second text'];

    const { data, response } = await client().embeddings.create({ model, input }).withResponse();

    // The SDK asks for base64 and decodes it; the proxy must pass the body through unchanged.
    expect(data.data).toHaveLength(2);
    expect(data.data[0]?.embedding).toEqual(Array.from(computeEmbedding(input[0] as string)));
    const cost = computeCost(price, {
      promptTokens: data.usage.prompt_tokens,
      cachedPromptTokens: 0,
      completionTokens: 0,
    });
    expect(Number(response.headers.get('x-creditgate-cost'))).toBe(cost);
    expect(await balance()).toBe(before - cost);
    const ledger = await stack.api(
      member.idToken,
      'GET',
      `/v1/me/ledger?requestId=${response.headers.get('x-creditgate-request-id')}`,
    );
    expect(ledger.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'HOLD',
      'SETTLE',
    ]);
  });

  it('float format passes through', async () => {
    const result = await client().embeddings.create({
      model,
      input: 'plain floats',
      encoding_format: 'float',
    });
    expect(result.data[0]?.embedding).toEqual(Array.from(computeEmbedding('plain floats')));
  });

  it('model outside the plan answers 403', async () => {
    const error = await client()
      .embeddings.create({ model: 'gpt-4o', input: 'x' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 403, code: 'MODEL_NOT_ALLOWED' });
    expect((error as APIError).headers?.get('x-creditgate-request-id')).toMatch(/^req_/);
  });

  it('upstream failure releases the hold', async () => {
    const before = await balance();
    await stack.upstream.setBehaviour({ mode: 'status', status: 500, count: 1 });

    await expect(client().embeddings.create({ model, input: 'fails' })).rejects.toMatchObject({
      status: 502,
    });
    expect(await balance()).toBe(before);
    expect((await stack.api(member.idToken, 'GET', '/v1/me')).body.held).toBe(0);
  });

  it('missing usage is estimated and never free', async () => {
    const before = await balance();
    await stack.upstream.setBehaviour({ mode: 'no-usage', count: 1 });

    const { response } = await client()
      .embeddings.create({ model, input: 'no usage reported' })
      .withResponse();

    const cost = Number(response.headers.get('x-creditgate-cost'));
    expect(cost).toBeGreaterThan(0);
    expect(await balance()).toBe(before - cost);
    const ledger = await stack.api(
      member.idToken,
      'GET',
      `/v1/me/ledger?requestId=${response.headers.get('x-creditgate-request-id')}`,
    );
    expect(
      ledger.body.items.find((entry: { type: string }) => entry.type === 'SETTLE').isEstimated,
    ).toBe(true);
  });

  it('bad input answers 400 naming the field', async () => {
    const response = await stack.api(member.idToken, 'POST', '/v1/embeddings', {
      model,
      input: 42,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe('input');
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
