import { randomUUID } from 'node:crypto';
import { newRequestId, newTenantId, type RouteDefinition, routes } from '@creditgate/shared';
import OpenAI from 'openai';
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
 * Tenant data never crosses tenants, whichever id a caller puts in the path, the body, the
 * query or a list cursor. Another tenant's resource gets exactly the response of a missing
 * one, and malformed ids are rejected on input.
 */
describe('tenant isolation', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let adminA: Session;
  let adminB: Session;
  let userA: Session;
  let userB: Session;
  let tenantA: string;
  let tenantB: string;
  let adminAId: string;
  let adminBId: string;
  let userAId: string;
  let userBId: string;
  /** A user of tenant B who never signs in, so a resent invitation would succeed. */
  let pendingBId: string;
  let requestIdA: string;
  let requestIdB: string;
  const pendingBEmail = 'pending@bravo.test';
  /** Well-formed ids that exist nowhere. */
  const missingTenantId = newTenantId();
  const missingUserId = randomUUID();
  const messages = [{ role: 'user' as const, content: 'Say something about tenants.' }];

  /** Throws with the response when a step does not return `status`. */
  const requireStatus = (response: ApiResult, status: number, step: string): ApiResult => {
    if (response.status !== status) {
      throw new Error(
        `${step} returned HTTP ${response.status}, expected ${status}: ` +
          JSON.stringify(response.body),
      );
    }
    return response;
  };
  const openaiFor = (session: Session) =>
    new OpenAI({ baseURL: `${stack.info.apiUrl}/v1`, apiKey: session.idToken, maxRetries: 0 });
  const chat = async (session: Session, extraFields: Record<string, unknown> = {}) => {
    const { response } = await openaiFor(session)
      .chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 20, ...extraFields })
      .withResponse();
    const requestId = response.headers.get('x-creditgate-request-id');
    if (!requestId) throw new Error('The chat response has no x-creditgate-request-id header');
    return { requestId, cost: Number(response.headers.get('x-creditgate-cost')) };
  };

  /** Reads every page of a list, `pageSize` items at a time, up to 50 pages. */
  const readAll = async (token: string, path: string, pageSize = 100) => {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const cursorQuery = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = requireStatus(
        await stack.api(token, 'GET', `${path}${separator}limit=${pageSize}${cursorQuery}`),
        200,
        `list ${path}`,
      );
      items.push(...response.body.items);
      cursor = response.body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error(`${path} has more than 50 pages`);
  };
  /** Returns the `nextCursor` of a list's first page of one item. */
  const firstCursor = async (token: string, path: string): Promise<string> => {
    const separator = path.includes('?') ? '&' : '?';
    const response = requireStatus(
      await stack.api(token, 'GET', `${path}${separator}limit=1`),
      200,
      `first page of ${path}`,
    );
    const cursor = response.body.nextCursor;
    if (typeof cursor !== 'string') throw new Error(`${path} has one page only`);
    return cursor;
  };
  /** Lists the distinct fields a validation error names, since one field may fail several rules. */
  const fieldsOf = (response: ApiResult): string[] => [
    ...new Set<string>(
      (response.body?.error?.details?.fields ?? []).map((issue: { field: string }) => issue.field),
    ),
  ];

  /** Everything the requests of a test could change in either tenant, read by the SuperAdmin. */
  const snapshot = async () => ({
    usersA: await readAll(superAdmin.idToken, `/v1/tenants/${tenantA}/users`),
    usersB: await readAll(superAdmin.idToken, `/v1/tenants/${tenantB}/users`),
    creditsA: (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantA}/credits`)).body,
    creditsB: (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantB}/credits`)).body,
    ledgerA: await readAll(superAdmin.idToken, `/v1/tenants/${tenantA}/ledger`),
    ledgerB: await readAll(superAdmin.idToken, `/v1/tenants/${tenantB}/ledger`),
    auditA: await readAll(superAdmin.idToken, `/v1/tenants/${tenantA}/audit`),
    auditB: await readAll(superAdmin.idToken, `/v1/tenants/${tenantB}/audit`),
    pendingBInvites: (await stack.readOutbox(pendingBEmail)).length,
  });

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);

    const createTenant = async (name: string, adminEmail: string, models: string[]) => {
      const plan = requireStatus(
        await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput({ name, models })),
        201,
        `create plan ${name}`,
      );
      const tenant = requireStatus(
        await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
          name,
          planId: plan.body.planId,
          adminEmail,
          creditLimit: 1_000_000,
        }),
        201,
        `create tenant ${name}`,
      );
      const admin = await stack.acceptInvite(adminEmail, newPassword());
      return {
        tenantId: tenant.body.tenantId as string,
        adminId: tenant.body.admin.userId as string,
        admin,
      };
    };
    const invite = async (admin: Session, tenantId: string, email: string) =>
      requireStatus(
        await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
          email,
          role: 'User',
        }),
        201,
        `invite ${email}`,
      ).body.userId as string;
    const grantAndAllocate = async (
      admin: Session,
      tenantId: string,
      userId: string,
      grant: number,
    ) => {
      requireStatus(
        await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
          amount: grant,
          reason: 'Start',
        }),
        201,
        `grant to ${tenantId}`,
      );
      requireStatus(
        await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users/${userId}/credits`, {
          operation: 'allocate',
          amount: 10_000,
        }),
        200,
        `allocate to ${userId}`,
      );
    };

    // The plans differ, so a model list shows whose plan it came from.
    const alpha = await createTenant('Alpha', 'admin@alpha.test', ['gpt-4o-mini', 'gpt-4o']);
    const bravo = await createTenant('Bravo', 'admin@bravo.test', ['gpt-4o-mini']);
    tenantA = alpha.tenantId;
    tenantB = bravo.tenantId;
    adminA = alpha.admin;
    adminB = bravo.admin;
    adminAId = alpha.adminId;
    adminBId = bravo.adminId;

    userAId = await invite(adminA, tenantA, 'user@alpha.test');
    userA = await stack.acceptInvite('user@alpha.test', newPassword());
    userBId = await invite(adminB, tenantB, 'user@bravo.test');
    userB = await stack.acceptInvite('user@bravo.test', newPassword());
    pendingBId = await invite(adminB, tenantB, pendingBEmail);

    await grantAndAllocate(adminA, tenantA, userAId, 40_000);
    await grantAndAllocate(adminB, tenantB, userBId, 60_000);
    requestIdA = (await chat(userA)).requestId;
    requestIdB = (await chat(userB)).requestId;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('foreign tenant path matches missing tenant', async () => {
    const before = await snapshot();
    const fill = (route: RouteDefinition, values: Record<string, string>) =>
      route.path.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? randomUUID());

    for (const route of routes.filter((candidate) => candidate.scope === 'tenant')) {
      const label = `${route.method} ${route.path}`;
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};

      const foreign = await stack.api(
        adminA.idToken,
        route.method,
        fill(route, { tenantId: tenantB, userId: userBId }),
        body,
      );
      const missing = await stack.api(
        adminA.idToken,
        route.method,
        fill(route, { tenantId: missingTenantId, userId: missingUserId }),
        body,
      );

      expect(foreign.status, label).toBe(404);
      expect(foreign.body?.error?.code, label).toBe('NOT_FOUND');
      expect(foreign.status, label).toBe(missing.status);
      expect(foreign.body, label).toEqual(missing.body);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('foreign user matches missing user', async () => {
    const before = await snapshot();
    // Valid bodies, so that each request reaches the resource check after input validation.
    const bodiesByRoute: Record<string, unknown[]> = {
      'GET /v1/tenants/{tenantId}/users/{userId}': [undefined],
      'PATCH /v1/tenants/{tenantId}/users/{userId}': [{ status: 'DISABLED' }, { role: 'User' }],
      'DELETE /v1/tenants/{tenantId}/users/{userId}': [undefined],
      'POST /v1/tenants/{tenantId}/users/{userId}/invitation': [undefined],
      'DELETE /v1/tenants/{tenantId}/users/{userId}/mfa': [undefined],
      'POST /v1/tenants/{tenantId}/users/{userId}/credits': [
        { operation: 'allocate', amount: 1 },
        { operation: 'reclaim', amount: 1 },
      ],
    };
    const userRoutes = routes.filter((route) => route.path.includes('{userId}'));
    const callers = [
      { name: 'TenantAdmin A', session: adminA },
      { name: 'SuperAdmin', session: superAdmin },
    ];

    for (const route of userRoutes) {
      const key = `${route.method} ${route.path}`;
      const bodies = bodiesByRoute[key];
      if (!bodies) throw new Error(`No request bodies for ${key}. Add them to bodiesByRoute.`);
      const pathOf = (userId: string) =>
        route.path.replace('{tenantId}', tenantA).replace('{userId}', userId);

      for (const caller of callers) {
        for (const body of bodies) {
          const missing = await stack.api(
            caller.session.idToken,
            route.method,
            pathOf(missingUserId),
            body,
          );
          expect(missing.status, `${caller.name} ${key} missing user`).toBe(404);
          expect(missing.body?.error?.code, `${caller.name} ${key} missing user`).toBe('NOT_FOUND');

          for (const foreignUserId of [userBId, adminBId, pendingBId]) {
            const label = `${caller.name} ${key} ${JSON.stringify(body)} user ${foreignUserId}`;
            const foreign = await stack.api(
              caller.session.idToken,
              route.method,
              pathOf(foreignUserId),
              body,
            );
            expect(foreign.status, label).toBe(missing.status);
            expect(foreign.body, label).toEqual(missing.body);
          }
        }
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('foreign cursor returns 400 naming cursor', async () => {
    const lists = [
      { name: 'users', path: (tenantId: string) => `/v1/tenants/${tenantId}/users` },
      { name: 'ledger', path: (tenantId: string) => `/v1/tenants/${tenantId}/ledger` },
      { name: 'audit', path: (tenantId: string) => `/v1/tenants/${tenantId}/audit` },
    ];

    for (const list of lists) {
      const cursorB = await firstCursor(adminB.idToken, list.path(tenantB));
      const cursorA = await firstCursor(adminA.idToken, list.path(tenantA));

      for (const caller of [
        { name: 'TenantAdmin A', session: adminA },
        { name: 'SuperAdmin', session: superAdmin },
      ]) {
        const label = `${caller.name} ${list.name}`;
        const own = await stack.api(
          caller.session.idToken,
          'GET',
          `${list.path(tenantA)}?cursor=${encodeURIComponent(cursorA)}`,
        );
        expect(own.status, `${label} with own cursor`).toBe(200);

        const foreign = await stack.api(
          caller.session.idToken,
          'GET',
          `${list.path(tenantA)}?cursor=${encodeURIComponent(cursorB)}`,
        );
        expect(foreign.status, label).toBe(400);
        expect(foreign.body?.error?.code, label).toBe('VALIDATION_FAILED');
        expect(fieldsOf(foreign), label).toEqual(['cursor']);
      }
    }
  });

  it('foreign user ledger cursor returns 400', async () => {
    const cursorB = await firstCursor(userB.idToken, '/v1/me/ledger');
    const cursorA = await firstCursor(userA.idToken, '/v1/me/ledger');
    const own = await stack.api(
      userA.idToken,
      'GET',
      `/v1/me/ledger?cursor=${encodeURIComponent(cursorA)}`,
    );
    expect(own.status).toBe(200);

    // Another tenant's user, and another user of the same tenant.
    for (const caller of [
      { name: 'User A', session: userA },
      { name: 'TenantAdmin B', session: adminB },
    ]) {
      const foreign = await stack.api(
        caller.session.idToken,
        'GET',
        `/v1/me/ledger?cursor=${encodeURIComponent(cursorB)}`,
      );
      expect(foreign.status, caller.name).toBe(400);
      expect(fieldsOf(foreign), caller.name).toEqual(['cursor']);
    }
  });

  it('relabelled cursor returns 400', async () => {
    // Cursors are base64url JSON of the list's partition `p` and the last key `k`: this one
    // carries A's partition label and a start key inside tenant B.
    const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const cursorA = decode(await firstCursor(adminA.idToken, `/v1/tenants/${tenantA}/users`));
    const cursorB = decode(await firstCursor(adminB.idToken, `/v1/tenants/${tenantB}/users`));
    const forged = Buffer.from(JSON.stringify({ p: cursorA.p, k: cursorB.k })).toString(
      'base64url',
    );

    const response = await stack.api(
      adminA.idToken,
      'GET',
      `/v1/tenants/${tenantA}/users?cursor=${forged}`,
    );

    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['cursor']);
  });

  it('cursor of another list returns 400', async () => {
    // Lists of one tenant share its partition, so only the start key distinguishes their cursors.
    const listPath = (name: string) => `/v1/tenants/${tenantA}/${name}`;
    const pairs = [
      ['users', 'ledger'],
      ['users', 'audit'],
      ['ledger', 'users'],
      ['ledger', 'audit'],
      ['audit', 'users'],
      ['audit', 'ledger'],
    ] as const;

    for (const [source, target] of pairs) {
      const label = `${source} cursor on ${target}`;
      const cursor = await firstCursor(adminA.idToken, listPath(source));

      const response = await stack.api(
        adminA.idToken,
        'GET',
        `${listPath(target)}?cursor=${encodeURIComponent(cursor)}`,
      );

      expect.soft(response.status, label).toBe(400);
      expect.soft(fieldsOf(response), label).toEqual(['cursor']);
    }
  });

  it('request id of other user finds no entries', async () => {
    const own = await stack.api(userB.idToken, 'GET', `/v1/me/ledger?requestId=${requestIdB}`);
    expect(own.body.items.map((entry: { type: string }) => entry.type)).toEqual(['HOLD', 'SETTLE']);

    const callers = [
      { name: 'User A', session: userA },
      { name: 'TenantAdmin A', session: adminA },
      { name: 'TenantAdmin B', session: adminB },
      { name: 'SuperAdmin', session: superAdmin },
    ];
    for (const caller of callers) {
      const foreign = await stack.api(
        caller.session.idToken,
        'GET',
        `/v1/me/ledger?requestId=${requestIdB}`,
      );
      const missing = await stack.api(
        caller.session.idToken,
        'GET',
        `/v1/me/ledger?requestId=${newRequestId()}`,
      );
      expect(foreign.status, caller.name).toBe(200);
      expect(foreign.body, caller.name).toEqual({ items: [], nextCursor: null });
      expect(foreign.body, caller.name).toEqual(missing.body);
    }
  });

  it('tenant lists contain only own items', async () => {
    for (const caller of [
      { name: 'TenantAdmin A', session: adminA },
      { name: 'SuperAdmin', session: superAdmin },
    ]) {
      // Pages of two items, so the lists are read through their own cursors.
      const users = await readAll(caller.session.idToken, `/v1/tenants/${tenantA}/users`, 2);
      const ledger = await readAll(caller.session.idToken, `/v1/tenants/${tenantA}/ledger`, 2);
      const audit = await readAll(caller.session.idToken, `/v1/tenants/${tenantA}/audit`, 2);

      expect(users.map((user) => user.userId).sort(), `${caller.name} users`).toEqual(
        [adminAId, userAId].sort(),
      );
      for (const item of [...users, ...ledger, ...audit]) {
        expect(item.tenantId, `${caller.name} ${JSON.stringify(item)}`).toBe(tenantA);
      }
      const ledgerRequestIds = ledger.map((entry) => entry.requestId);
      expect(ledgerRequestIds, `${caller.name} ledger`).toContain(requestIdA);
      expect(ledgerRequestIds, `${caller.name} ledger`).not.toContain(requestIdB);
      for (const entry of ledger.filter((item) => item.userId !== undefined)) {
        expect([adminAId, userAId], `${caller.name} ${JSON.stringify(entry)}`).toContain(
          entry.userId,
        );
      }
      const auditTargets = audit.map((entry) => entry.targetId);
      for (const foreignId of [tenantB, adminBId, userBId, pendingBId]) {
        expect(auditTargets, `${caller.name} audit`).not.toContain(foreignId);
      }
    }

    const usersB = await readAll(adminB.idToken, `/v1/tenants/${tenantB}/users`, 2);
    expect(usersB.map((user) => user.userId).sort()).toEqual(
      [adminBId, userBId, pendingBId].sort(),
    );
    const credits = await stack.api(adminA.idToken, 'GET', `/v1/tenants/${tenantA}/credits`);
    expect(credits.body.granted).toBe(40_000);
  });

  it('user lists contain only own items', async () => {
    const ledger = await readAll(userA.idToken, '/v1/me/ledger', 1);

    expect(ledger.map((entry) => entry.requestId)).toContain(requestIdA);
    for (const entry of ledger) {
      expect(entry.tenantId, JSON.stringify(entry)).toBe(tenantA);
      expect(entry.userId, JSON.stringify(entry)).toBe(userAId);
    }

    const modelsA = await stack.api(userA.idToken, 'GET', `/v1/models?tenantId=${tenantB}`);
    const modelsB = await stack.api(userB.idToken, 'GET', '/v1/models');
    expect(modelsA.body.data.map((model: { id: string }) => model.id)).toEqual([
      'gpt-4o-mini',
      'gpt-4o',
    ]);
    expect(modelsB.body.data.map((model: { id: string }) => model.id)).toEqual(['gpt-4o-mini']);
  });

  it('foreign ids in body are rejected', async () => {
    const before = await snapshot();
    const cases = [
      {
        caller: adminA,
        method: 'POST',
        path: `/v1/tenants/${tenantA}/users`,
        body: { email: 'new@alpha.test', role: 'User', tenantId: tenantB },
        field: 'tenantId',
      },
      {
        caller: adminA,
        method: 'POST',
        path: `/v1/tenants/${tenantA}/users/batch`,
        body: { users: [{ email: 'batch@alpha.test', role: 'User' }], tenantId: tenantB },
        field: 'tenantId',
      },
      {
        caller: adminA,
        method: 'PATCH',
        path: `/v1/tenants/${tenantA}/users/${userAId}`,
        body: { status: 'DISABLED', userId: userBId },
        field: 'userId',
      },
      {
        caller: adminA,
        method: 'POST',
        path: `/v1/tenants/${tenantA}/users/${userAId}/credits`,
        body: { operation: 'allocate', amount: 1, tenantId: tenantB, userId: userBId },
        field: 'tenantId',
      },
      {
        caller: superAdmin,
        method: 'POST',
        path: `/v1/tenants/${tenantA}/grants`,
        body: { amount: 1, reason: 'Wrong tenant', tenantId: tenantB },
        field: 'tenantId',
      },
    ];

    for (const testCase of cases) {
      const label = `${testCase.method} ${testCase.path} ${JSON.stringify(testCase.body)}`;

      const response = await stack.api(
        testCase.caller.idToken,
        testCase.method,
        testCase.path,
        testCase.body,
      );

      expect(response.status, label).toBe(400);
      expect(response.body?.error?.code, label).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response), label).toContain(testCase.field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('foreign ids in query are rejected', async () => {
    const cases = [
      {
        caller: adminA,
        path: `/v1/tenants/${tenantA}/users?tenantId=${tenantB}`,
        field: 'tenantId',
      },
      {
        caller: adminA,
        path: `/v1/tenants/${tenantA}/ledger?tenantId=${tenantB}`,
        field: 'tenantId',
      },
      { caller: userA, path: `/v1/me/ledger?userId=${userBId}`, field: 'userId' },
      { caller: userA, path: `/v1/me/ledger?tenantId=${tenantB}`, field: 'tenantId' },
    ];

    for (const testCase of cases) {
      const response = await stack.api(testCase.caller.idToken, 'GET', testCase.path);

      expect(response.status, testCase.path).toBe(400);
      expect(fieldsOf(response), testCase.path).toContain(testCase.field);
    }
  });

  it('ledger filter by foreign user finds nothing', async () => {
    const foreign = await stack.api(
      adminA.idToken,
      'GET',
      `/v1/tenants/${tenantA}/ledger?userId=${userBId}`,
    );
    const missing = await stack.api(
      adminA.idToken,
      'GET',
      `/v1/tenants/${tenantA}/ledger?userId=00000000-0000-4000-8000-000000000000`,
    );

    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual({ items: [], nextCursor: null });
    expect(foreign.body).toEqual(missing.body);
  });

  it('audit filter by foreign actor finds nothing', async () => {
    for (const caller of [adminA, superAdmin]) {
      const own = await stack.api(
        caller.idToken,
        'GET',
        `/v1/tenants/${tenantA}/audit?actorId=${adminAId}`,
      );
      expect(own.body.items.length).toBeGreaterThan(0);

      const foreign = await stack.api(
        caller.idToken,
        'GET',
        `/v1/tenants/${tenantA}/audit?actorId=${adminBId}`,
      );
      expect(foreign.status).toBe(200);
      expect(foreign.body.items).toEqual([]);
    }
  });

  it('chat charges caller despite foreign ids', async () => {
    const balanceOf = async (session: Session) =>
      (await stack.api(session.idToken, 'GET', '/v1/me')).body.balance as number;
    const balanceA = await balanceOf(userA);
    const balanceB = await balanceOf(userB);
    const ledgerB = await readAll(superAdmin.idToken, `/v1/tenants/${tenantB}/ledger`);

    const { requestId, cost } = await chat(userA, {
      tenantId: tenantB,
      userId: userBId,
      user: userBId,
    });

    expect(cost).toBeGreaterThan(0);
    expect(await balanceOf(userA)).toBe(balanceA - cost);
    expect(await balanceOf(userB)).toBe(balanceB);
    const own = await stack.api(userA.idToken, 'GET', `/v1/me/ledger?requestId=${requestId}`);
    expect(own.body.items.map((entry: { type: string }) => entry.type)).toEqual(['HOLD', 'SETTLE']);
    expect(await readAll(superAdmin.idToken, `/v1/tenants/${tenantB}/ledger`)).toEqual(ledgerB);
  });

  it('malformed ids return 400 or 404', async () => {
    const overLong = 'Z'.repeat(100);
    // `isTenantA` is true when the path names tenant A, so A's admin passes the scope check.
    const cases = [
      { path: '/v1/tenants/not-a-tenant/users', field: 'tenantId', isTenantA: false },
      {
        path: `/v1/tenants/${tenantA}${overLong}/users`,
        field: 'tenantId',
        isTenantA: false,
      },
      {
        path: `/v1/tenants/${tenantA.toLowerCase()}/users`,
        field: 'tenantId',
        isTenantA: false,
      },
      { path: '/v1/tenants/platform/users', field: 'tenantId', isTenantA: false },
      {
        path: `/v1/tenants/${encodeURIComponent(`${tenantA}/../${tenantB}`)}/users`,
        field: 'tenantId',
        isTenantA: false,
      },
      { path: `/v1/tenants/${tenantA}/users/not-a-user`, field: 'userId', isTenantA: true },
      {
        path: `/v1/tenants/${tenantA}/users/${userAId}${'a'.repeat(100)}`,
        field: 'userId',
        isTenantA: true,
      },
      {
        path: `/v1/tenants/${tenantA}/users/${userAId.toUpperCase()}`,
        field: 'userId',
        isTenantA: true,
      },
      {
        path: `/v1/tenants/${tenantA}/audit?actorId=not-a-user`,
        field: 'actorId',
        isTenantA: true,
      },
      {
        path: `/v1/tenants/${tenantA}/users?cursor=${'x'.repeat(3000)}`,
        field: 'cursor',
        isTenantA: true,
      },
    ];
    const rejected = async (session: Session, path: string) => {
      const response = await stack.api(session.idToken, 'GET', path);
      return {
        status: response.status,
        code: response.body?.error?.code,
        fields: fieldsOf(response),
      };
    };

    for (const testCase of cases) {
      const invalid = { status: 400, code: 'VALIDATION_FAILED', fields: [testCase.field] };
      expect(await rejected(superAdmin, testCase.path), `SuperAdmin ${testCase.path}`).toEqual(
        invalid,
      );
      for (const caller of [
        { name: 'TenantAdmin A', session: adminA, isInScope: testCase.isTenantA },
        { name: 'TenantAdmin B', session: adminB, isInScope: false },
      ]) {
        const label = `${caller.name} ${testCase.path}`;
        const response = await stack.api(caller.session.idToken, 'GET', testCase.path);
        if (caller.isInScope) {
          expect(response.status, label).toBe(400);
          expect(fieldsOf(response), label).toEqual([testCase.field]);
        } else {
          const missing = await stack.api(
            caller.session.idToken,
            'GET',
            `/v1/tenants/${missingTenantId}/users`,
          );
          expect(response.status, label).toBe(404);
          expect(response.body, label).toEqual(missing.body);
        }
      }
    }

    for (const path of [
      '/v1/me/ledger?requestId=not-a-request',
      `/v1/me/ledger?requestId=${requestIdA}${overLong}`,
      `/v1/me/ledger?requestId=${requestIdA.toLowerCase()}`,
    ]) {
      for (const session of [superAdmin, adminA, userA]) {
        expect(await rejected(session, path), path).toEqual({
          status: 400,
          code: 'VALIDATION_FAILED',
          fields: ['requestId'],
        });
      }
    }
  });

  it('malformed plan ids return 400', async () => {
    const plans = (await stack.api(superAdmin.idToken, 'GET', '/v1/plans')).body.items;
    const planId: string = plans[0].planId;

    for (const badId of ['not-a-plan', `${planId}${'Z'.repeat(100)}`, planId.toLowerCase()]) {
      const response = await stack.api(superAdmin.idToken, 'PATCH', `/v1/plans/${badId}`, {
        name: 'Renamed',
      });
      expect(response.status, badId).toBe(400);
      expect(fieldsOf(response), badId).toEqual(['planId']);

      const forbidden = await stack.api(adminA.idToken, 'PATCH', `/v1/plans/${badId}`, {
        name: 'Renamed',
      });
      expect(forbidden.status, badId).toBe(403);
    }
  });
});
