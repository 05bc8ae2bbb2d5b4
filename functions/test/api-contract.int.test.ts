import { routes } from '@creditgate/shared';
import {
  buildOpenApiDocument,
  chatCompletionChunkSchema,
  operations,
  routeKeyOf,
} from '@creditgate/shared/api-contract';
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
 * Runs the core flow against a local stack and checks every response against the route's
 * contract in `shared/src/api-contract/operations.ts`: the documented success status, and a
 * body that the response schema parses without dropping a field. So a handler that returns a
 * field the document lacks, or leaves one out, fails here.
 */

/** Routes this file has checked, so the last test can name the ones it never reached. */
const checkedRouteKeys = new Set<string>();

/** Fails unless `response` has the contract's status and a body its schema fully describes. */
function expectContract(
  method: string,
  path: string,
  response: ApiResult,
): ApiResult & { body: Record<string, never> } {
  const key = `${method} ${path}`;
  const contract = operations[key];
  if (!contract) throw new Error(`No contract for ${key} in operations`);
  checkedRouteKeys.add(key);

  expect(response.status, `${key}: ${JSON.stringify(response.body)}`).toBe(
    contract.response.status,
  );
  if (!contract.response.body) {
    expect(response.body, `${key} body`).toBeUndefined();
    return response;
  }
  const parsed = contract.response.body.safeParse(response.body);
  if (!parsed.success) {
    throw new Error(`${key} returned a body its schema rejects: ${parsed.error.message}`);
  }
  // Object schemas drop fields they do not list, so any difference is an undocumented field.
  expect(parsed.data, `${key} returned fields the schema lacks`).toEqual(response.body);
  return response;
}

describe('API contract', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let user: Session;
  let tenantId: string;
  let userId: string;
  let planId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the generated document without a token', async () => {
    const response = await stack.api(undefined, 'GET', '/v1/openapi.json');

    expectContract('GET', '/v1/openapi.json', response);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    expect(response.headers.get('cache-control')).toContain('public');
  });

  it('platform setup matches the contract', async () => {
    const api = (method: string, path: string, body?: unknown) =>
      stack.api(superAdmin.idToken, method, path, body);

    expectContract('GET', '/v1/me', await api('GET', '/v1/me'));
    expectContract('GET', '/v1/platform/prices', await api('GET', '/v1/platform/prices'));
    const prices = (await api('GET', '/v1/platform/prices')).body.prices;
    expectContract(
      'PUT',
      '/v1/platform/prices',
      await api('PUT', '/v1/platform/prices', { prices }),
    );
    expectContract('GET', '/v1/platform/ai-key', await api('GET', '/v1/platform/ai-key'));

    const plan = expectContract(
      'POST',
      '/v1/plans',
      await api(
        'POST',
        '/v1/plans',
        planInput({ models: ['gpt-4o-mini', 'text-embedding-3-small'] }),
      ),
    );
    planId = plan.body.planId;
    expectContract(
      'PATCH',
      '/v1/plans/{planId}',
      await api('PATCH', `/v1/plans/${planId}`, { requestsPerMinute: 120 }),
    );
    expectContract('GET', '/v1/plans', await api('GET', '/v1/plans'));

    const tenant = expectContract(
      'POST',
      '/v1/tenants',
      await api('POST', '/v1/tenants', {
        name: 'Contract',
        planId,
        adminEmail: 'admin@contract.test',
        creditLimit: 1_000_000,
      }),
    );
    tenantId = tenant.body.tenantId;
    expectContract('GET', '/v1/tenants', await api('GET', '/v1/tenants'));
    expectContract(
      'PATCH',
      '/v1/tenants/{tenantId}',
      await api('PATCH', `/v1/tenants/${tenantId}`, { name: 'Contract Ltd' }),
    );
    expectContract(
      'POST',
      '/v1/tenants/{tenantId}/grants',
      await api('POST', `/v1/tenants/${tenantId}/grants`, { amount: 50_000, reason: 'Contract' }),
    );
  });

  it('tenant admin routes match the contract', async () => {
    admin = await stack.acceptInvite('admin@contract.test', newPassword());
    const api = (method: string, path: string, body?: unknown) =>
      stack.api(admin.idToken, method, path, body);
    const base = `/v1/tenants/${tenantId}`;

    expectContract('GET', '/v1/tenants/{tenantId}', await api('GET', base));
    const invited = expectContract(
      'POST',
      '/v1/tenants/{tenantId}/users',
      await api('POST', `${base}/users`, { email: 'user@contract.test', role: 'User' }),
    );
    userId = invited.body.userId;
    expectContract(
      'POST',
      '/v1/tenants/{tenantId}/users/batch',
      await api('POST', `${base}/users/batch`, {
        users: [
          { email: 'second@contract.test', role: 'User' },
          { email: 'not-an-email', role: 'User' },
        ],
      }),
    );
    expectContract(
      'POST',
      '/v1/tenants/{tenantId}/users/{userId}/invitation',
      await api('POST', `${base}/users/${userId}/invitation`),
    );
    expectContract(
      'POST',
      '/v1/tenants/{tenantId}/users/{userId}/credits',
      await api('POST', `${base}/users/${userId}/credits`, {
        operation: 'allocate',
        amount: 10_000,
      }),
    );
    expectContract('GET', '/v1/tenants/{tenantId}/users', await api('GET', `${base}/users`));
    expectContract(
      'GET',
      '/v1/tenants/{tenantId}/users/{userId}',
      await api('GET', `${base}/users/${userId}`),
    );
    expectContract('GET', '/v1/tenants/{tenantId}/ai-key', await api('GET', `${base}/ai-key`));
  });

  it('AI calls match the contract', async () => {
    user = await stack.acceptInvite('user@contract.test', newPassword());
    const api = (method: string, path: string, body?: unknown) =>
      stack.api(user.idToken, method, path, body);
    const messages = [{ role: 'user', content: 'Contract check' }];

    expectContract('GET', '/v1/models', await api('GET', '/v1/models'));
    const chat = expectContract(
      'POST',
      '/v1/chat/completions',
      await api('POST', '/v1/chat/completions', {
        model: 'gpt-4o-mini',
        messages,
        max_tokens: 20,
      }),
    );
    expect(Number(chat.headers.get('x-creditgate-cost'))).toBeGreaterThan(0);
    expectContract(
      'POST',
      '/v1/embeddings',
      await api('POST', '/v1/embeddings', {
        model: 'text-embedding-3-small',
        input: 'Contract check',
      }),
    );
    const token = expectContract(
      'POST',
      '/v1/me/api-tokens',
      await api('POST', '/v1/me/api-tokens', { name: 'contract' }),
    );
    expectContract('GET', '/v1/me/api-tokens', await api('GET', '/v1/me/api-tokens'));
    expectContract(
      'DELETE',
      '/v1/me/api-tokens/{tokenId}',
      await api('DELETE', `/v1/me/api-tokens/${token.body.tokenId}`),
    );
    expectContract('GET', '/v1/me/ledger', await api('GET', '/v1/me/ledger'));
    expectContract('GET', '/v1/me', await api('GET', '/v1/me'));
  });

  it('streamed chunks match the chunk schema', async () => {
    const response = await fetch(`${stack.info.apiUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.idToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Stream check' }],
        max_tokens: 20,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    const text = await response.text();
    const events = text
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
      .map((line) => JSON.parse(line.slice('data: '.length)));

    expect(response.status).toBe(200);
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) {
      expect(chatCompletionChunkSchema.parse(event)).toEqual(event);
    }
    expect(text).toMatch(/\n: creditgate \{"requestId":"req_\w+","cost":\d+,"balance":\d+\}\n/);
  });

  it('credit requests and alerts match the contract', async () => {
    const base = `/v1/tenants/${tenantId}`;
    const alerts = { poolThreshold: 10, userThreshold: null };
    expectContract(
      'GET',
      '/v1/tenants/{tenantId}/alerts',
      await stack.api(admin.idToken, 'GET', `${base}/alerts`),
    );
    expectContract(
      'PUT',
      '/v1/tenants/{tenantId}/alerts',
      await stack.api(admin.idToken, 'PUT', `${base}/alerts`, alerts),
    );
    const ask = () =>
      stack.api(user.idToken, 'POST', `${base}/credit-requests`, { amount: 5, reason: 'Contract' });
    const first = expectContract('POST', '/v1/tenants/{tenantId}/credit-requests', await ask());
    const second = await ask();
    expectContract(
      'GET',
      '/v1/tenants/{tenantId}/credit-requests',
      await stack.api(user.idToken, 'GET', `${base}/credit-requests`),
    );
    expectContract(
      'POST',
      '/v1/tenants/{tenantId}/credit-requests/{requestId}/approval',
      await stack.api(
        admin.idToken,
        'POST',
        `${base}/credit-requests/${first.body.requestId}/approval`,
        { note: 'Approved' },
      ),
    );
    expectContract(
      'POST',
      '/v1/tenants/{tenantId}/credit-requests/{requestId}/denial',
      await stack.api(
        admin.idToken,
        'POST',
        `${base}/credit-requests/${second.body.requestId}/denial`,
        {},
      ),
    );
  });

  it('reports match the contract', async () => {
    const base = `/v1/tenants/${tenantId}`;
    const asAdmin = (path: string) => stack.api(admin.idToken, 'GET', path);

    expectContract('GET', '/v1/tenants/{tenantId}/credits', await asAdmin(`${base}/credits`));
    expectContract('GET', '/v1/tenants/{tenantId}/ledger', await asAdmin(`${base}/ledger`));
    expectContract('GET', '/v1/tenants/{tenantId}/usage', await asAdmin(`${base}/usage`));
    expectContract('GET', '/v1/tenants/{tenantId}/audit', await asAdmin(`${base}/audit`));
    const member = await stack.api(user.idToken, 'GET', '/v1/me');
    expectContract(
      'DELETE',
      '/v1/tenants/{tenantId}/users/{userId}/mfa',
      await stack.api(admin.idToken, 'DELETE', `${base}/users/${member.body.userId}/mfa`),
    );
    expectContract(
      'PATCH',
      '/v1/tenants/{tenantId}/users/{userId}',
      await stack.api(admin.idToken, 'PATCH', `${base}/users/${userId}`, { status: 'DISABLED' }),
    );
    expectContract(
      'DELETE',
      '/v1/tenants/{tenantId}/users/{userId}',
      await stack.api(admin.idToken, 'DELETE', `${base}/users/${userId}`),
    );
    expectContract('GET', '/v1/audit', await stack.api(superAdmin.idToken, 'GET', '/v1/audit'));
    expectContract(
      'GET',
      '/v1/platform/overview',
      await stack.api(superAdmin.idToken, 'GET', '/v1/platform/overview?days=7'),
    );
    expectContract(
      'POST',
      '/v1/platform/ledger-verification',
      await stack.api(superAdmin.idToken, 'POST', '/v1/platform/ledger-verification', {}),
    );
  });

  it('covers the core routes', () => {
    // Key rotation, tenant keys and plan deletion change shared state that other checks use;
    // their own integration tests cover them.
    const skipped = new Set([
      'PUT /v1/platform/ai-key',
      'POST /v1/platform/ai-key/rotation',
      'PUT /v1/tenants/{tenantId}/ai-key',
      'DELETE /v1/tenants/{tenantId}/ai-key',
      'DELETE /v1/plans/{planId}',
    ]);

    const unchecked = routes
      .map(routeKeyOf)
      .filter((key) => !checkedRouteKeys.has(key) && !skipped.has(key));

    expect(unchecked, 'routes whose responses no test here checks').toEqual([]);
  });
});
