import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * Bad input on platform routes answers 400 VALIDATION_FAILED naming the field, in the
 * platform's error shape, and writes nothing; business-rule refusals write nothing either.
 */
describe('input checks', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let tenantAdmin: Session;
  let planId: string;
  let tenantId: string;
  let userId: string;

  /** Everything a bad request could have changed, read through the API. */
  const snapshot = async () => ({
    plans: (await stack.api(superAdmin.idToken, 'GET', '/v1/plans')).body,
    tenants: (await stack.api(superAdmin.idToken, 'GET', '/v1/tenants')).body,
    users: (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/users`)).body,
    credits: (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`)).body,
    ledger: (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/ledger`)).body,
  });

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    planId = (await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput({ seatLimit: 2 })))
      .body.planId;
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Initech',
      planId,
      adminEmail: 'boss@initech.test',
      creditLimit: 10_000,
    });
    tenantId = tenant.body.tenantId;
    tenantAdmin = await stack.acceptInvite('boss@initech.test', newPassword());
    userId = tenant.body.admin.userId;
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 1_000,
      reason: 'Start',
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const cases = () => {
    const { seatLimit: _omitted, ...planWithoutSeats } = planInput();
    return [
      { name: 'invalid JSON', method: 'POST', path: '/v1/plans', body: '{"name": ', field: 'body' },
      { name: 'empty body', method: 'POST', path: '/v1/plans', body: '', field: 'body' },
      { name: 'array body', method: 'POST', path: '/v1/plans', body: '[]', field: 'body' },
      {
        name: 'unknown plan field',
        method: 'POST',
        path: '/v1/plans',
        body: planInput({ colour: 'red' }),
        field: 'colour',
      },
      {
        name: 'missing plan field',
        method: 'POST',
        path: '/v1/plans',
        body: planWithoutSeats,
        field: 'seatLimit',
      },
      {
        name: 'plan field type',
        method: 'POST',
        path: '/v1/plans',
        body: planInput({ seatLimit: '10' }),
        field: 'seatLimit',
      },
      {
        name: 'unpriced model',
        method: 'POST',
        path: '/v1/plans',
        body: planInput({ models: ['gpt-4o', 'nope-1'] }),
        field: 'models.1',
      },
      {
        name: 'unknown patch field',
        method: 'PATCH',
        path: () => `/v1/plans/${planId}`,
        body: { price: 1 },
        field: 'price',
      },
      {
        name: 'bad admin email',
        method: 'POST',
        path: '/v1/tenants',
        body: { name: 'X', planId: () => planId, adminEmail: 'not-an-email', creditLimit: 5 },
        field: 'adminEmail',
      },
      {
        name: 'malformed plan id',
        method: 'POST',
        path: '/v1/tenants',
        body: { name: 'X', planId: 'plan-1', adminEmail: 'x@x.test', creditLimit: 5 },
        field: 'planId',
      },
      {
        name: 'missing plan',
        method: 'POST',
        path: '/v1/tenants',
        body: {
          name: 'X',
          planId: 'pln_01J00000000000000000000000',
          adminEmail: 'x@x.test',
          creditLimit: 5,
        },
        field: 'planId',
      },
      {
        name: 'zero grant',
        method: 'POST',
        path: () => `/v1/tenants/${tenantId}/grants`,
        body: { amount: 0, reason: 'r' },
        field: 'amount',
      },
      {
        name: 'fractional grant',
        method: 'POST',
        path: () => `/v1/tenants/${tenantId}/grants`,
        body: { amount: 1.5, reason: 'r' },
        field: 'amount',
      },
      {
        name: 'oversized grant',
        method: 'POST',
        path: () => `/v1/tenants/${tenantId}/grants`,
        body: { amount: 1_000_000_000_001, reason: 'r' },
        field: 'amount',
      },
      {
        name: 'grant without reason',
        method: 'POST',
        path: () => `/v1/tenants/${tenantId}/grants`,
        body: { amount: 5 },
        field: 'reason',
      },
      {
        name: 'invite as superadmin',
        method: 'POST',
        path: () => `/v1/tenants/${tenantId}/users`,
        body: { email: 'new@initech.test', role: 'SuperAdmin' },
        field: 'role',
      },
      {
        name: 'unknown credit operation',
        method: 'POST',
        path: () => `/v1/tenants/${tenantId}/users/${userId}/credits`,
        body: { operation: 'steal', amount: 5 },
        field: 'operation',
      },
      {
        name: 'string amount',
        method: 'POST',
        path: () => `/v1/tenants/${tenantId}/users/${userId}/credits`,
        body: { operation: 'allocate', amount: '5' },
        field: 'amount',
      },
      {
        name: 'malformed user id',
        method: 'GET',
        path: () => `/v1/tenants/${tenantId}/users/abc`,
        body: undefined,
        field: 'userId',
      },
      {
        name: 'list limit',
        method: 'GET',
        path: () => `/v1/tenants/${tenantId}/users?limit=0`,
        body: undefined,
        field: 'limit',
      },
      {
        name: 'foreign cursor',
        method: 'GET',
        path: () => `/v1/tenants/${tenantId}/users?cursor=eyJwIjoieCJ9`,
        body: undefined,
        field: 'cursor',
      },
    ];
  };

  for (const testCase of cases()) {
    it(`rejects ${testCase.name}`, async () => {
      const before = await snapshot();
      const path = typeof testCase.path === 'function' ? testCase.path() : testCase.path;
      const body =
        testCase.body && typeof testCase.body === 'object' && !Array.isArray(testCase.body)
          ? Object.fromEntries(
              Object.entries(testCase.body).map(([key, value]) => [
                key,
                typeof value === 'function' ? value() : value,
              ]),
            )
          : testCase.body;

      const response = await stack.api(superAdmin.idToken, testCase.method, path, body);

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.message).toContain(testCase.field);
      expect(
        response.body.error.details.fields.map((issue: { field: string }) => issue.field),
      ).toContain(testCase.field);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('credit limit refusal writes nothing', async () => {
    const before = await snapshot();
    const response = await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 9_001,
      reason: 'Too much',
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('CREDIT_LIMIT_EXCEEDED');
    expect(await snapshot()).toEqual(before);
  });

  it('pool and balance shortfalls write nothing', async () => {
    const before = await snapshot();
    const allocate = await stack.api(
      tenantAdmin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${userId}/credits`,
      {
        operation: 'allocate',
        amount: 1_001,
      },
    );
    expect(allocate.status).toBe(409);
    expect(allocate.body.error.code).toBe('POOL_INSUFFICIENT');
    const reclaim = await stack.api(
      tenantAdmin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${userId}/credits`,
      {
        operation: 'reclaim',
        amount: 1,
      },
    );
    expect(reclaim.status).toBe(409);
    expect(reclaim.body.error.code).toBe('USER_BALANCE_INSUFFICIENT');
    expect(await snapshot()).toEqual(before);
  });

  it('unknown user answers 404 and writes nothing', async () => {
    const before = await snapshot();
    const response = await stack.api(
      tenantAdmin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/00000000-0000-4000-8000-000000000000/credits`,
      { operation: 'allocate', amount: 1 },
    );
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });

  it('existing email and full seats answer 409', async () => {
    const existing = await stack.api(tenantAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: 'BOSS@initech.test',
      role: 'User',
    });
    expect(existing.status).toBe(409);
    expect(existing.body.error.code).toBe('USER_EXISTS');
    expect(existing.body.error.message).not.toContain('Initech');

    const second = await stack.api(tenantAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: 'second@initech.test',
      role: 'User',
    });
    expect(second.status).toBe(201);
    const before = await snapshot();
    const third = await stack.api(tenantAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: 'third@initech.test',
      role: 'User',
    });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('SEAT_LIMIT_REACHED');
    expect(await snapshot()).toEqual(before);
  });

  it('unknown route and method answer in the error shape', async () => {
    const missing = await stack.api(superAdmin.idToken, 'GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const wrongMethod = await stack.api(superAdmin.idToken, 'DELETE', '/v1/tenants');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('gateway request id is on every response', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const missing = await stack.api(superAdmin.idToken, 'GET', '/v1/nothing-here');
    expect(missing.headers.get('x-amzn-requestid')).toMatch(uuid);
    expect(missing.headers.get('x-creditgate-request-id')).toBeNull();

    const handled = await stack.api(superAdmin.idToken, 'GET', '/v1/me');
    expect(handled.status).toBe(200);
    expect(handled.headers.get('x-amzn-requestid')).toMatch(uuid);
    expect(handled.headers.get('x-creditgate-request-id')).toBe(
      handled.headers.get('x-amzn-requestid'),
    );
  });
});
