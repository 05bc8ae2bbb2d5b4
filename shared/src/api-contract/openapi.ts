import { z } from 'zod';
import { type ErrorCode, errorStatusByCode } from '../errors';
import { type RouteDefinition, routes } from '../routes';
import { aiCodeSamples } from './code-samples';
import { errorMeanings } from './error-meanings';
import { type OperationContract, operations } from './operations';
import { openAiErrorSchema, platformErrorSchema } from './responses';

type JsonSchema = Record<string, unknown>;
type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

/** Version of the API contract shown in the document's `info.version`. */
export const API_VERSION = '1.0.0';

/** Returns the key `METHOD path` that names a route in `operations` and in tests. */
export function routeKeyOf(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * Builds the OpenAPI 3.1 document from the route table and `operations`. Throws an error
 * naming the route when a route has no contract or a contract names no route, so the document
 * never leaves a route out.
 */
export function buildOpenApiDocument(
  source: {
    routes: readonly RouteDefinition[];
    operations: Readonly<Record<string, OperationContract>>;
  } = { routes, operations },
): OpenApiDocument {
  const routeKeys = new Set(source.routes.map(routeKeyOf));
  const orphans = Object.keys(source.operations).filter((key) => !routeKeys.has(key));
  if (orphans.length > 0) {
    throw new Error(
      `No route in shared/src/routes.ts for the contract of ${orphans.join(', ')}. ` +
        'Remove the entry from shared/src/api-contract/operations.ts or add the route.',
    );
  }

  const paths: OpenApiDocument['paths'] = {};
  for (const route of source.routes) {
    const contract = source.operations[routeKeyOf(route)];
    if (!contract) {
      throw new Error(
        `Route ${routeKeyOf(route)} has no contract. Add its schemas to operations in ` +
          'shared/src/api-contract/operations.ts, then run `npm run openapi`.',
      );
    }
    const pathItem = paths[route.path] ?? {};
    pathItem[route.method.toLowerCase()] = buildOperation(route, contract);
    paths[route.path] = pathItem;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Creditgate API',
      version: API_VERSION,
      description: DOCUMENT_DESCRIPTION,
    },
    servers: [{ url: '/', description: 'The origin that serves this document' }],
    tags: [
      { name: 'AI', description: 'OpenAI-compatible routes, charged in credits' },
      { name: 'Me', description: "The caller's own records" },
      { name: 'Tenants', description: "One tenant's users, credits, keys and logs" },
      { name: 'Platform', description: 'Plans, tenants, prices and keys, for SuperAdmins' },
      { name: 'Docs', description: 'This document' },
    ],
    paths,
    components: {
      securitySchemes: {
        cognitoIdToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "The Cognito ID token from signing in (not the access token): it carries the user's " +
            'tenant and role.',
        },
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A personal API token from `POST /v1/me/api-tokens`, accepted on the AI routes only.',
        },
      },
      schemas: {
        PlatformError: toSchema(platformErrorSchema, 'output'),
        OpenAiError: toSchema(openAiErrorSchema, 'output'),
      },
      headers: {
        RequestId: {
          description: 'Id of this request; `GET /v1/me/ledger?requestId=` finds an AI call',
          schema: { type: 'string' },
        },
      },
    },
  };
}

const DOCUMENT_DESCRIPTION = [
  'Creditgate sells AI usage through credits. Platform routes return errors as',
  '`{"error":{"code","message","details"?}}`; the AI routes keep OpenAI\'s shapes and return',
  'errors as `{"error":{"message","type","param","code"}}` with the same codes.',
  'Each operation lists its roles in `x-creditgate-roles`; other roles get 403 `FORBIDDEN`.',
  "Checks run in this order: token (401), the caller's own state (403), tenant scope",
  '(404, the same as for a missing resource), role (403), input (400), resource (404),',
  'then business rules. Lists return `{"items":[...],"nextCursor":...}`.',
].join(' ');

function buildOperation(route: RouteDefinition, contract: OperationContract) {
  const operation: Record<string, unknown> = {
    operationId: operationIdOf(route),
    summary: contract.summary,
    description: describeAccess(route, contract),
    tags: [tagOf(route)],
    'x-creditgate-roles': route.isPublic ? [] : [...route.roles],
    'x-creditgate-scope': route.scope,
    security: securityOf(route),
  };
  if (route.isStreaming) operation['x-creditgate-streaming'] = true;

  const parameters: Record<string, unknown>[] = [
    ...parametersOf(contract.params, 'path'),
    ...parametersOf(contract.query, 'query'),
  ];
  if (contract.isIdempotent) parameters.push(idempotencyKeyParameter(route));
  if (parameters.length > 0) operation.parameters = parameters;

  if (contract.body) {
    operation.requestBody = {
      required: !contract.isBodyOptional,
      content: { 'application/json': { schema: toSchema(contract.body, 'input') } },
    };
  }
  operation.responses = {
    [contract.response.status]: successResponseOf(route, contract),
    ...errorResponsesOf(route, contract),
  };
  if (route.errorShape === 'openai') operation['x-codeSamples'] = aiCodeSamples(route);
  return operation;
}

/** `POST /v1/tenants/{tenantId}/users` becomes `postTenantsByTenantIdUsers`. */
function operationIdOf(route: RouteDefinition): string {
  const words = route.path
    .replace(/^\/v1\//, '')
    .split(/[/.-]/)
    .filter((part) => part !== '')
    .map((part) => {
      const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
      const word = parameter ? `by-${parameter}` : part;
      return word
        .split('-')
        .map((piece) => piece.charAt(0).toUpperCase() + piece.slice(1))
        .join('');
    });
  return route.method.toLowerCase() + words.join('');
}

function tagOf(route: RouteDefinition): string {
  if (route.isPublic) return 'Docs';
  if (route.errorShape === 'openai') return 'AI';
  if (route.scope === 'self') return 'Me';
  if (route.scope === 'tenant') return 'Tenants';
  return 'Platform';
}

function describeAccess(route: RouteDefinition, contract: OperationContract): string {
  const access = route.isPublic
    ? 'Access: public, no token needed.'
    : `Roles: ${route.roles.join(', ')}.${scopeSentence(route)}`;
  return [contract.description, access].filter(Boolean).join('\n\n');
}

function scopeSentence(route: RouteDefinition): string {
  if (route.scope !== 'tenant') return '';
  return ' A TenantAdmin reaches only their own tenant; another tenant returns 404 `NOT_FOUND`.';
}

function securityOf(route: RouteDefinition): Record<string, string[]>[] {
  if (route.isPublic) return [];
  if (route.errorShape === 'openai') return [{ cognitoIdToken: [] }, { apiToken: [] }];
  return [{ cognitoIdToken: [] }];
}

function parametersOf(schema: z.ZodObject | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const objectSchema = toSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(objectSchema.properties ?? {}).map(([name, schemaOfName]) => {
    const { description, ...rest } = schemaOfName;
    return {
      name,
      in: location,
      required: location === 'path' || (objectSchema.required ?? []).includes(name),
      ...(typeof description === 'string' && { description }),
      schema: rest,
    };
  });
}

function idempotencyKeyParameter(route: RouteDefinition) {
  const description =
    route.errorShape === 'openai'
      ? "A repeat returns 409 `DUPLICATE_REQUEST` with the first call's request id and cost, " +
        'and charges nothing. The `openai` SDK retries failed calls; send a key to make the ' +
        'retries safe.'
      : 'A repeat returns the first response; a repeat while the first runs returns 409 ' +
        '`IDEMPOTENCY_IN_PROGRESS`; the same key with another body returns 422 ' +
        '`IDEMPOTENCY_KEY_REUSED`.';
  return {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description,
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  };
}

function successResponseOf(route: RouteDefinition, contract: OperationContract) {
  const headers: Record<string, unknown> = {
    'x-creditgate-request-id': { $ref: '#/components/headers/RequestId' },
  };
  if (route.errorShape === 'openai' && route.method === 'POST') {
    Object.assign(headers, receiptHeaders);
  }
  const { body } = contract.response;
  const content: Record<string, unknown> = {};
  if (body) content['application/json'] = { schema: toSchema(body, 'output') };
  if (route.isStreaming) {
    content['text/event-stream'] = {
      schema: { type: 'string', description: SSE_DESCRIPTION },
      example: SSE_EXAMPLE,
    };
  }
  return {
    description: contract.response.description,
    headers,
    ...(Object.keys(content).length > 0 && { content }),
  };
}

const receiptHeaders = {
  'x-creditgate-cost': {
    description: 'Credits charged (non-streaming responses)',
    schema: { type: 'integer' },
  },
  'x-creditgate-balance': {
    description: "The caller's balance after the charge (non-streaming responses)",
    schema: { type: 'integer' },
  },
  'x-creditgate-overhead-ms': {
    description: "Time the proxy added to upstream's, in milliseconds",
    schema: { type: 'integer' },
  },
};

const SSE_DESCRIPTION =
  'With `"stream": true`: `data: <chat.completion.chunk JSON>` events, a `: keep-alive` ' +
  'comment every 15 s while upstream is silent, then the receipt comment ' +
  '`: creditgate {"requestId","cost","balance"}` and `data: [DONE]`. SSE clients ignore ' +
  'comments. The usage chunk (`choices: []`) is sent only when the request set ' +
  '`stream_options.include_usage`.';

const SSE_EXAMPLE = [
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
  '',
  ': creditgate {"requestId":"req_01JGZ0000000000000000000000","cost":42,"balance":9958}',
  '',
  'data: [DONE]',
  '',
].join('\n');

/** Lists the error codes of a route by status: access, input and the route's own codes. */
export function errorCodesOf(route: RouteDefinition, contract: OperationContract): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  if (!route.isPublic) {
    codes.add('UNAUTHENTICATED');
    codes.add('ACCOUNT_DISABLED');
    codes.add('TENANT_SUSPENDED');
    if (route.scope === 'tenant') codes.add('NOT_FOUND');
    codes.add('FORBIDDEN');
  }
  if (contract.params || contract.query || contract.body || contract.isIdempotent) {
    codes.add('VALIDATION_FAILED');
  }
  for (const code of contract.errors ?? []) codes.add(code);
  codes.add('INTERNAL_ERROR');
  return [...codes];
}

function errorResponsesOf(route: RouteDefinition, contract: OperationContract) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route, contract)) {
    const status = errorStatusByCode[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const schemaName = route.errorShape === 'openai' ? 'OpenAiError' : 'PlatformError';
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus.entries()].sort(([a], [b]) => a - b)) {
    const headers: Record<string, unknown> = {
      'x-creditgate-request-id': { $ref: '#/components/headers/RequestId' },
    };
    if (status === 429) {
      headers['Retry-After'] = {
        description: 'Seconds to wait before trying again',
        schema: { type: 'integer' },
      };
    }
    responses[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${errorMeanings[code]}.`).join('\n\n'),
      'x-creditgate-error-codes': codes,
      headers,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
    };
  }
  return responses;
}

/**
 * Converts a zod schema to JSON Schema 2020-12, the dialect of OpenAPI 3.1. Request bodies
 * use the input side (before trims and coercions) and responses the output side.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  return rest;
}

/** Returns the document as `docs/openapi.json` stores it: two-space JSON and a final newline. */
export function renderOpenApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
