import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { errorStatusByCode } from '../errors';
import { routes } from '../routes';
import { buildOpenApiDocument, errorCodesOf, renderOpenApiJson, routeKeyOf } from './openapi';
import { operations } from './operations';

type Operation = {
  'x-creditgate-roles': string[];
  security: unknown[];
  responses: Record<
    string,
    { content?: Record<string, unknown>; 'x-creditgate-error-codes'?: string[] }
  >;
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
};

const document = buildOpenApiDocument();
const operationOf = (method: string, path: string) =>
  document.paths[path]?.[method.toLowerCase()] as Operation | undefined;

describe('OpenAPI document', () => {
  it('matches docs/openapi.json', () => {
    const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');

    // Compared as a boolean because a 300 kB diff is unreadable. The message names the fix.
    const isCurrent = committed === renderOpenApiJson();

    expect(isCurrent, 'docs/openapi.json is out of date: run `npm run openapi`').toBe(true);
  });

  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(document));

    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route with its roles', () => {
    for (const route of routes) {
      const operation = operationOf(route.method, route.path);

      expect(operation, routeKeyOf(route)).toBeDefined();
      expect(operation?.['x-creditgate-roles'], routeKeyOf(route)).toEqual(
        route.isPublic ? [] : [...route.roles],
      );
    }
  });

  it('lists each error code under its status', () => {
    for (const route of routes) {
      const contract = operations[routeKeyOf(route)];
      if (!contract) throw new Error(`No contract for ${routeKeyOf(route)}`);
      const responses = operationOf(route.method, route.path)?.responses ?? {};

      for (const code of errorCodesOf(route, contract)) {
        const listed = responses[String(errorStatusByCode[code])]?.['x-creditgate-error-codes'];
        expect(listed, `${routeKeyOf(route)} ${code}`).toContain(code);
      }
    }
  });

  it('requires a token except on public routes', () => {
    for (const route of routes) {
      const operation = operationOf(route.method, route.path);
      const codes = operation?.responses['401']?.['x-creditgate-error-codes'];

      if (route.isPublic) {
        expect(operation?.security, routeKeyOf(route)).toEqual([]);
        expect(codes, routeKeyOf(route)).toBeUndefined();
      } else {
        expect(operation?.security.length, routeKeyOf(route)).toBeGreaterThan(0);
        expect(codes, routeKeyOf(route)).toEqual(['UNAUTHENTICATED']);
      }
    }
  });

  it('serves the OpenAPI route in public', () => {
    const operation = operationOf('GET', '/v1/openapi.json');

    expect(operation?.security).toEqual([]);
    expect(routes.find((route) => route.path === '/v1/openapi.json')?.isPublic).toBe(true);
  });

  it('accepts API tokens on AI routes only', () => {
    for (const route of routes) {
      const security = JSON.stringify(operationOf(route.method, route.path)?.security);

      expect(security.includes('apiToken'), routeKeyOf(route)).toBe(route.errorShape === 'openai');
    }
  });

  it('documents the chat stream as SSE', () => {
    const operation = operationOf('POST', '/v1/chat/completions');
    const content = operation?.responses['200']?.content ?? {};

    expect(Object.keys(content)).toEqual(['application/json', 'text/event-stream']);
    expect(JSON.stringify(content['text/event-stream'])).toContain(': creditgate {');
  });

  it('names the Idempotency-Key header on idempotent routes', () => {
    const operation = operationOf('POST', '/v1/tenants/{tenantId}/grants');

    expect(operation?.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
  });

  it('rejects a route without a contract', () => {
    const extraRoute = {
      method: 'GET',
      path: '/v1/tenants/{tenantId}/route-without-contract',
      handler: 'examples/route-without-contract',
      roles: ['TenantAdmin'],
      scope: 'tenant',
      errorShape: 'platform',
    } as const;

    const build = () => buildOpenApiDocument({ routes: [...routes, extraRoute], operations });

    expect(build).toThrow(
      'Route GET /v1/tenants/{tenantId}/route-without-contract has no contract',
    );
  });

  it('rejects a contract without a route', () => {
    const build = () =>
      buildOpenApiDocument({
        routes: routes.filter((route) => route.method !== 'DELETE'),
        operations,
      });

    expect(build).toThrow(/No route in shared\/src\/routes.ts for the contract of DELETE /);
  });
});
