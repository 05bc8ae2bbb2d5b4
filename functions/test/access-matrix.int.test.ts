import { randomUUID } from 'node:crypto';
import { type Role, type RouteDefinition, routes, type TenantRole, ulid } from '@creditgate/shared';
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
 * Calls every route of the shared route table as seven personas and an anonymous caller. Each
 * response must match the status computed from the route's rule, in the API's order of checks:
 * the token, the caller's own state, tenant scope, role, then the route's own probe. Public
 * routes return the probe's expected response to every caller. Probes stop an allowed caller right after
 * the access checks (bad input, a missing user or an empty balance), so nothing is written.
 */

/** An expected response: a status, and for errors the code and a field it names. */
interface Expected {
  status: number;
  code?: string;
  field?: string;
}

/** How one route is called, and what a caller who passes every access check gets. */
interface Probe {
  /** Query string without the leading `?`. */
  query?: string;
  body?: unknown;
  /** Path parameters that replace the defaults of `pathValues`. */
  params?: Record<string, string>;
  allowed: Expected;
}

interface Persona {
  name: string;
  /** Undefined for the anonymous caller, who sends no token. */
  role: Role | undefined;
  /** Tenant label: `platform` for the SuperAdmin, `none` for the anonymous caller, else A, B or C. */
  tenant: 'platform' | 'A' | 'B' | 'C' | 'none';
  state: 'active' | 'disabled' | 'suspended' | 'anonymous';
  session: Session | undefined;
}

/** A well-formed user id that exists in no tenant. */
const missingUserId = randomUUID();
const unknownField = { __probe: true };
const rejectsUnknownField: Expected = { status: 400, code: 'VALIDATION_FAILED', field: '__probe' };
const rejectsLimit: Expected = { status: 400, code: 'VALIDATION_FAILED', field: 'limit' };
const listProbe: Probe = { query: 'limit=0', allowed: rejectsLimit };
const bodyProbe: Probe = { body: unknownField, allowed: rejectsUnknownField };
const readProbe: Probe = { allowed: { status: 200 } };
/**
 * Callers of this file hold no credits, so a valid call stops at the hold with 402. The
 * probe must be valid: the proxy checks the caller's state in the hold's condition, after
 * input, so a disabled caller sending an invalid body gets 400 instead of 403.
 */
const chatProbe: Probe = {
  body: {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Access probe' }],
    max_tokens: 100,
  },
  allowed: { status: 402, code: 'INSUFFICIENT_CREDITS' },
};
/** Like the chat probe: a valid request that stops at the hold for lack of credits. */
const embeddingsProbe: Probe = {
  body: { model: 'gpt-4o-mini', input: 'Access probe' },
  allowed: { status: 402, code: 'INSUFFICIENT_CREDITS' },
};
const missingUserProbe: Probe = {
  params: { userId: missingUserId },
  allowed: { status: 404, code: 'NOT_FOUND' },
};
/** Deleting a well-formed plan id that does not exist writes nothing and answers 404. */
const missingPlanProbe: Probe = {
  params: { planId: 'pln_01J00000000000000000000000' },
  allowed: { status: 404, code: 'NOT_FOUND' },
};

const missingRequestProbe: Probe = { body: {}, allowed: { status: 404, code: 'NOT_FOUND' } };

/**
 * One probe per route, keyed by `METHOD path`. A route added to the table without an entry
 * here fails its test, so every new route gets a rule and a probe.
 */
const probes: Record<string, Probe> = {
  'GET /v1/openapi.json': readProbe,
  'GET /v1/me': readProbe,
  'GET /v1/me/ledger': listProbe,
  'POST /v1/chat/completions': chatProbe,
  'POST /v1/embeddings': embeddingsProbe,
  'GET /v1/models': readProbe,
  'GET /v1/plans': listProbe,
  'POST /v1/plans': bodyProbe,
  'GET /v1/me/api-tokens': listProbe,
  'POST /v1/me/api-tokens': bodyProbe,
  'DELETE /v1/me/api-tokens/{tokenId}': { allowed: { status: 404, code: 'NOT_FOUND' } },
  'PATCH /v1/plans/{planId}': bodyProbe,
  'DELETE /v1/plans/{planId}': missingPlanProbe,
  'PUT /v1/platform/prices': bodyProbe,
  'GET /v1/platform/prices': readProbe,
  'GET /v1/platform/ai-key': readProbe,
  'PUT /v1/platform/ai-key': bodyProbe,
  // The body is optional but takes no fields, so the probe is rejected before any rotation.
  'POST /v1/platform/ai-key/rotation': bodyProbe,
  'POST /v1/platform/ledger-verification': bodyProbe,
  'GET /v1/tenants': listProbe,
  'POST /v1/tenants': bodyProbe,
  'GET /v1/tenants/{tenantId}': readProbe,
  'PATCH /v1/tenants/{tenantId}': bodyProbe,
  'GET /v1/tenants/{tenantId}/ai-key': readProbe,
  'PUT /v1/tenants/{tenantId}/ai-key': bodyProbe,
  // Tenant A has no key of its own, so removing it returns 404 and writes nothing.
  'DELETE /v1/tenants/{tenantId}/ai-key': { allowed: { status: 404, code: 'NOT_FOUND' } },
  'GET /v1/audit': listProbe,
  'GET /v1/tenants/{tenantId}/audit': listProbe,
  'POST /v1/tenants/{tenantId}/users/batch': bodyProbe,
  'PATCH /v1/tenants/{tenantId}/users/{userId}': bodyProbe,
  'DELETE /v1/tenants/{tenantId}/users/{userId}': missingUserProbe,
  'POST /v1/tenants/{tenantId}/users/{userId}/invitation': missingUserProbe,
  'DELETE /v1/tenants/{tenantId}/users/{userId}/mfa': missingUserProbe,
  'POST /v1/tenants/{tenantId}/grants': bodyProbe,
  'GET /v1/tenants/{tenantId}/credits': readProbe,
  'GET /v1/tenants/{tenantId}/ledger': listProbe,
  'GET /v1/tenants/{tenantId}/usage': {
    query: 'from=not-a-day',
    allowed: { status: 400, code: 'VALIDATION_FAILED', field: 'from' },
  },
  'GET /v1/tenants/{tenantId}/users': listProbe,
  'POST /v1/tenants/{tenantId}/users': bodyProbe,
  'GET /v1/tenants/{tenantId}/users/{userId}': readProbe,
  'POST /v1/tenants/{tenantId}/users/{userId}/credits': bodyProbe,
  'GET /v1/platform/overview': {
    query: 'days=0',
    allowed: { status: 400, code: 'VALIDATION_FAILED', field: 'days' },
  },
  'GET /v1/tenants/{tenantId}/alerts': readProbe,
  'PUT /v1/tenants/{tenantId}/alerts': bodyProbe,
  'GET /v1/tenants/{tenantId}/credit-requests': listProbe,
  'POST /v1/tenants/{tenantId}/credit-requests': bodyProbe,
  // A well-formed id of no request: deciding it returns 404 and moves no credits.
  'POST /v1/tenants/{tenantId}/credit-requests/{requestId}/approval': missingRequestProbe,
  'POST /v1/tenants/{tenantId}/credit-requests/{requestId}/denial': missingRequestProbe,
};

const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>) =>
  `${route.method} ${route.path}`;

/** Computes a persona's expected response from the route's rule, in the API's order of checks. */
function expectedResponse(route: RouteDefinition, persona: Persona, probe: Probe): Expected {
  if (route.isPublic) return probe.allowed;
  if (persona.state === 'anonymous' || persona.role === undefined) {
    return { status: 401, code: 'UNAUTHENTICATED' };
  }
  if (persona.state === 'disabled') return { status: 403, code: 'ACCOUNT_DISABLED' };
  if (persona.state === 'suspended') return { status: 403, code: 'TENANT_SUSPENDED' };
  // Path parameters name tenant A, so any other tenant's member is out of scope.
  if (route.scope === 'tenant' && persona.role !== 'SuperAdmin' && persona.tenant !== 'A') {
    return { status: 404, code: 'NOT_FOUND' };
  }
  if (!route.roles.includes(persona.role)) return { status: 403, code: 'FORBIDDEN' };
  return probe.allowed;
}

/** Replaces each `{name}` of a route path. A parameter without a value fails the test. */
function fillPath(route: RouteDefinition, values: Record<string, string>): string {
  return route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(
        `No value for path parameter {${name}} of ${routeKey(route)}. Add one to pathValues.`,
      );
    }
    return encodeURIComponent(value);
  });
}

describe('access matrix', () => {
  let stack: TestStack;
  let personas: Persona[];
  /** Path parameter values: tenant A's ids, and well-formed ids for kinds with no record. */
  let pathValues: Record<string, string>;

  /** Throws with the response when a setup step does not return `status`. */
  const requireStatus = (response: ApiResult, status: number, step: string): ApiResult => {
    if (response.status !== status) {
      throw new Error(
        `${step} returned HTTP ${response.status}, expected ${status}: ` +
          JSON.stringify(response.body),
      );
    }
    return response;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const superAdmin = await stack.signIn(
      stack.info.superAdmin.email,
      stack.info.superAdmin.password,
    );
    const plan = requireStatus(
      await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput()),
      201,
      'create plan',
    );
    const planId: string = plan.body.planId;

    const createTenant = async (name: string, adminEmail: string) => {
      const tenant = requireStatus(
        await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
          name,
          planId,
          adminEmail,
          creditLimit: 1_000_000,
        }),
        201,
        `create tenant ${name}`,
      );
      const admin = await stack.acceptInvite(adminEmail, newPassword());
      return { tenantId: tenant.body.tenantId as string, admin };
    };
    const inviteMember = async (
      tenant: { tenantId: string; admin: Session },
      email: string,
      role: TenantRole = 'User',
    ) => {
      const invited = requireStatus(
        await stack.api(tenant.admin.idToken, 'POST', `/v1/tenants/${tenant.tenantId}/users`, {
          email,
          role,
        }),
        201,
        `invite ${email}`,
      );
      const session = await stack.acceptInvite(email, newPassword());
      return { userId: invited.body.userId as string, session };
    };

    const tenantA = await createTenant('Alpha', 'admin@alpha.test');
    const tenantB = await createTenant('Bravo', 'admin@bravo.test');
    const tenantC = await createTenant('Charlie', 'admin@charlie.test');
    const userA = await inviteMember(tenantA, 'user@alpha.test');
    const disabledA = await inviteMember(tenantA, 'disabled@alpha.test');
    const userB = await inviteMember(tenantB, 'user@bravo.test');
    const userC = await inviteMember(tenantC, 'user@charlie.test');

    // Both changes come after the sign-in, so the personas call with tokens issued before.
    requireStatus(
      await stack.api(
        tenantA.admin.idToken,
        'PATCH',
        `/v1/tenants/${tenantA.tenantId}/users/${disabledA.userId}`,
        { status: 'DISABLED' },
      ),
      200,
      'disable user of tenant A',
    );
    requireStatus(
      await stack.api(superAdmin.idToken, 'PATCH', `/v1/tenants/${tenantC.tenantId}`, {
        status: 'SUSPENDED',
      }),
      200,
      'suspend tenant C',
    );

    personas = [
      {
        name: 'SuperAdmin',
        role: 'SuperAdmin',
        tenant: 'platform',
        state: 'active',
        session: superAdmin,
      },
      {
        name: 'TenantAdmin A',
        role: 'TenantAdmin',
        tenant: 'A',
        state: 'active',
        session: tenantA.admin,
      },
      {
        name: 'TenantAdmin B',
        role: 'TenantAdmin',
        tenant: 'B',
        state: 'active',
        session: tenantB.admin,
      },
      { name: 'User A', role: 'User', tenant: 'A', state: 'active', session: userA.session },
      { name: 'User B', role: 'User', tenant: 'B', state: 'active', session: userB.session },
      {
        name: 'disabled User A',
        role: 'User',
        tenant: 'A',
        state: 'disabled',
        session: disabledA.session,
      },
      {
        name: 'suspended User C',
        role: 'User',
        tenant: 'C',
        state: 'suspended',
        session: userC.session,
      },
      {
        name: 'anonymous',
        role: undefined,
        tenant: 'none',
        state: 'anonymous',
        session: undefined,
      },
    ];
    pathValues = {
      tenantId: tenantA.tenantId,
      userId: userA.userId,
      planId,
      // A well-formed id of no token: revoking it answers 404 and writes nothing.
      tokenId: `tok_${ulid()}`,
      requestId: `crq_${ulid()}`,
    };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('every route declares roles and scope', () => {
    for (const route of routes) {
      expect(route.roles.length, `roles of ${routeKey(route)}`).toBeGreaterThan(0);
      expect(['self', 'tenant', 'platform'], `scope of ${routeKey(route)}`).toContain(route.scope);
    }
  });

  it('probes name only routes of the table', () => {
    const tableKeys = new Set(routes.map(routeKey));
    const staleKeys = Object.keys(probes).filter((key) => !tableKeys.has(key));
    expect(staleKeys, 'probes for routes missing from the route table').toEqual([]);
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))('%s', async (key, route) => {
    const probe = probes[key];
    if (!probe) {
      throw new Error(`No probe for ${key}. Add one to probes in access-matrix.int.test.ts.`);
    }
    const path = fillPath(route, { ...pathValues, ...probe.params });
    const url = probe.query ? `${path}?${probe.query}` : path;

    for (const persona of personas) {
      const label = `${persona.name} ${route.method} ${route.path}`;
      const expected = expectedResponse(route, persona, probe);

      const response = await stack.api(persona.session?.idToken, route.method, url, probe.body);

      expect.soft(response.status, label).toBe(expected.status);
      if (expected.code !== undefined) {
        expect.soft(response.body?.error?.code, label).toBe(expected.code);
      }
      if (expected.field !== undefined) {
        const fields = (response.body?.error?.details?.fields ?? []).map(
          (issue: { field: string }) => issue.field,
        );
        expect.soft(fields, label).toContain(expected.field);
      }
      if (expected.status >= 400 && route.errorShape === 'openai') {
        expect.soft(response.body, `${label} in OpenAI's error shape`).toEqual({
          error: {
            message: expect.any(String),
            type: expect.any(String),
            param: expected.field ?? null,
            code: expected.code,
            // Creditgate's optional addition to OpenAI's shape.
            ...(response.body?.error?.details !== undefined && { details: expect.any(Object) }),
          },
        });
      }
      if (expected.status >= 400 && route.errorShape === 'platform') {
        expect.soft(response.body?.error?.message, `${label} message`).toEqual(expect.any(String));
      }
    }
  });
});
