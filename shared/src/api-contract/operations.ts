import type { z } from 'zod';
import { chatRequestSchema, embeddingsRequestSchema } from '../ai-schemas';
import type { ErrorCode } from '../errors';
import { startKeyRotationSchema, submitPlatformKeySchema } from '../platform-key';
import {
  alertSettingsSchema,
  apiTokenParamsSchema,
  auditQuerySchema,
  batchInviteSchema,
  createApiTokenSchema,
  createCreditRequestSchema,
  createPlanSchema,
  createTenantSchema,
  creditRequestDecisionSchema,
  creditRequestQuerySchema,
  grantCreditsSchema,
  inviteUserSchema,
  ledgerQuerySchema,
  ledgerVerificationSchema,
  listQuerySchema,
  listTenantsQuerySchema,
  moveCreditsSchema,
  planParamsSchema,
  platformOverviewQuerySchema,
  tenantCreditRequestParamsSchema,
  tenantLedgerQuerySchema,
  tenantParamsSchema,
  tenantUserParamsSchema,
  updatePlanSchema,
  updatePricesSchema,
  updateTenantSchema,
  updateUserSchema,
  usageQuerySchema,
} from '../schemas';
import { setTenantKeySchema } from '../tenant-key';
import {
  alertSettingsResponseSchema,
  apiTokenSchema,
  approvedCreditRequestSchema,
  auditEntrySchema,
  batchInviteResultSchema,
  chatCompletionSchema,
  createdApiTokenSchema,
  createdTenantSchema,
  creditRequestSchema,
  deniedCreditRequestSchema,
  embeddingsResponseSchema,
  grantResultSchema,
  ledgerEntrySchema,
  ledgerVerificationResultSchema,
  meSchema,
  modelListSchema,
  moveCreditsResultSchema,
  openApiDocumentSchema,
  pageSchema,
  planSchema,
  platformKeySchema,
  platformOverviewSchema,
  priceTableSchema,
  startedRotationSchema,
  tenantCreditsSchema,
  tenantKeySchema,
  tenantSchema,
  tenantUsageSchema,
  userSchema,
} from './responses';

/** A success response: its status, what it means and its JSON body (none for 204). */
export interface SuccessResponse {
  status: 200 | 201 | 202 | 204;
  description: string;
  body?: z.ZodType;
}

/**
 * The OpenAPI description of one route beyond what the route table holds. Access errors
 * (401, 403, tenant-scope 404), `VALIDATION_FAILED` for routes with input, and 500 are
 * added by the generator from the route table; `errors` lists the route's own codes.
 */
export interface OperationContract {
  summary: string;
  description?: string;
  /** Doubles as the handler's validation: handlers import the same schemas. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** True when the body may be left out. */
  isBodyOptional?: boolean;
  /** True when the route honours an `Idempotency-Key` header. */
  isIdempotent?: boolean;
  response: SuccessResponse;
  errors?: readonly ErrorCode[];
}

const idempotencyErrors: readonly ErrorCode[] = [
  'IDEMPOTENCY_IN_PROGRESS',
  'IDEMPOTENCY_KEY_REUSED',
];
const aiCallErrors: readonly ErrorCode[] = [
  'INSUFFICIENT_CREDITS',
  'MODEL_NOT_ALLOWED',
  'DUPLICATE_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UPSTREAM_ERROR',
  'UPSTREAM_TIMEOUT',
];

/**
 * Every route's contract, keyed by `METHOD path` exactly as in the route table. The OpenAPI
 * generator throws for a route without an entry here and for an entry without a route.
 */
export const operations: Readonly<Record<string, OperationContract>> = {
  'GET /v1/openapi.json': {
    summary: 'Get this OpenAPI document',
    description: 'Public: served without a token, to anyone.',
    response: { status: 200, description: 'The OpenAPI 3.1 document', body: openApiDocumentSchema },
  },
  'GET /v1/me': {
    summary: 'Get the caller',
    response: { status: 200, description: "The caller's user record and balance", body: meSchema },
  },
  'GET /v1/me/ledger': {
    summary: "List the caller's ledger entries",
    description: 'Newest first. With `requestId`, the entries of one AI call on one page.',
    query: ledgerQuerySchema,
    response: {
      status: 200,
      description: 'A page of entries',
      body: pageSchema(ledgerEntrySchema),
    },
  },
  'GET /v1/me/api-tokens': {
    summary: "List the caller's API tokens",
    query: listQuerySchema,
    response: { status: 200, description: 'A page of tokens', body: pageSchema(apiTokenSchema) },
  },
  'POST /v1/me/api-tokens': {
    summary: 'Create a personal API token',
    description:
      'The token works on the AI routes only and is shown once, in this response. SuperAdmins ' +
      'cannot create one (403 `FORBIDDEN`); a user has at most 20 active tokens.',
    body: createApiTokenSchema,
    response: { status: 201, description: 'The token, shown once', body: createdApiTokenSchema },
    errors: ['CONFLICT'],
  },
  'DELETE /v1/me/api-tokens/{tokenId}': {
    summary: 'Revoke an API token',
    description: 'The token fails on its next use.',
    params: apiTokenParamsSchema,
    response: { status: 204, description: 'Revoked' },
    errors: ['NOT_FOUND'],
  },
  'POST /v1/chat/completions': {
    summary: 'Create a chat completion (OpenAI-compatible)',
    description:
      "OpenAI's chat completions API. Fields other than those listed pass through to upstream. " +
      'With `"stream": true` the response is Server-Sent Events: `data: {chunk}` lines, then the ' +
      'receipt comment `: creditgate {"requestId","cost","balance"}`, then `data: [DONE]`; ' +
      '`: keep-alive` comments arrive every 15 s while upstream is silent. Without it the ' +
      'response is one JSON body with the receipt in `x-creditgate-*` headers.',
    body: chatRequestSchema,
    isIdempotent: true,
    response: { status: 200, description: 'The completion', body: chatCompletionSchema },
    errors: aiCallErrors,
  },
  'POST /v1/embeddings': {
    summary: 'Create embeddings (OpenAI-compatible)',
    description: 'Billed on input tokens. `encoding_format` passes through, so base64 works.',
    body: embeddingsRequestSchema,
    isIdempotent: true,
    response: { status: 200, description: 'The embeddings', body: embeddingsResponseSchema },
    errors: aiCallErrors,
  },
  'GET /v1/models': {
    summary: "List the plan's models (OpenAI-compatible)",
    response: { status: 200, description: "The tenant plan's models", body: modelListSchema },
    errors: ['NOT_FOUND'],
  },
  'GET /v1/plans': {
    summary: 'List plans',
    query: listQuerySchema,
    response: { status: 200, description: 'A page of plans', body: pageSchema(planSchema) },
  },
  'POST /v1/plans': {
    summary: 'Create a plan',
    description: 'Every model must have a price in the platform price table.',
    body: createPlanSchema,
    response: { status: 201, description: 'The new plan', body: planSchema },
  },
  'PATCH /v1/plans/{planId}': {
    summary: 'Change a plan',
    params: planParamsSchema,
    body: updatePlanSchema,
    response: { status: 200, description: 'The changed plan', body: planSchema },
    errors: ['NOT_FOUND'],
  },
  'DELETE /v1/plans/{planId}': {
    summary: 'Delete a plan',
    description: 'Only a plan that no tenant uses can be deleted (409 `CONFLICT`).',
    params: planParamsSchema,
    response: { status: 204, description: 'Deleted' },
    errors: ['NOT_FOUND', 'CONFLICT'],
  },
  'PUT /v1/platform/prices': {
    summary: 'Replace the price table',
    description:
      'Every model that a plan lists needs a price (409 `CONFLICT` names the others). Calls ' +
      'that started before the change keep the old prices.',
    body: updatePricesSchema,
    response: { status: 200, description: 'The new price table', body: priceTableSchema },
    errors: ['CONFLICT'],
  },
  'GET /v1/platform/prices': {
    summary: 'Get the price table',
    response: { status: 200, description: 'Credits per 1M tokens', body: priceTableSchema },
  },
  'GET /v1/platform/ai-key': {
    summary: 'Get the platform key status',
    description: 'Never contains any part of the key.',
    response: { status: 200, description: 'Key status and rotation', body: platformKeySchema },
  },
  'PUT /v1/platform/ai-key': {
    summary: 'Submit a new platform key',
    description:
      'Stores the key as `AWSPENDING` and starts the rotation that tests it; it becomes ' +
      'current only after a test call upstream succeeds.',
    body: submitPlatformKeySchema,
    response: { status: 202, description: 'Rotation started', body: startedRotationSchema },
    errors: ['CONFLICT', 'UPSTREAM_ERROR'],
  },
  'POST /v1/platform/ai-key/rotation': {
    summary: 'Rotate the platform key now',
    body: startKeyRotationSchema,
    isBodyOptional: true,
    response: { status: 202, description: 'Rotation started', body: startedRotationSchema },
    errors: ['CONFLICT', 'UPSTREAM_ERROR'],
  },
  'POST /v1/platform/ledger-verification': {
    summary: 'Verify the credit ledger',
    description:
      'Checks `granted = poolBalance + allocated + held + spent`, the open holds and a replay ' +
      'of the ledger, for one tenant or for all. Writes nothing.',
    body: ledgerVerificationSchema,
    isBodyOptional: true,
    response: {
      status: 200,
      description: 'One report per tenant',
      body: ledgerVerificationResultSchema,
    },
    errors: ['NOT_FOUND'],
  },
  'GET /v1/tenants': {
    summary: 'List or search tenants',
    description:
      'Newest first. With `q`, only tenants whose name contains `q` in any case, or the ' +
      'tenant whose id is `q`. A search reads at most 1,000 tenants for one page, so a page ' +
      'can hold fewer than `limit` tenants and still have a `nextCursor`.',
    query: listTenantsQuerySchema,
    response: { status: 200, description: 'A page of tenants', body: pageSchema(tenantSchema) },
  },
  'POST /v1/tenants': {
    summary: 'Create a tenant and invite its admin',
    body: createTenantSchema,
    response: { status: 201, description: 'The new tenant', body: createdTenantSchema },
    errors: ['USER_EXISTS'],
  },
  'GET /v1/tenants/{tenantId}': {
    summary: 'Get a tenant',
    params: tenantParamsSchema,
    response: { status: 200, description: 'The tenant and its seat limit', body: tenantSchema },
  },
  'PATCH /v1/tenants/{tenantId}': {
    summary: 'Change a tenant',
    description:
      '`status: "SUSPENDED"` stops every call of its users from the next request on, even ' +
      'with tokens issued before.',
    params: tenantParamsSchema,
    body: updateTenantSchema,
    response: { status: 200, description: 'The changed tenant', body: tenantSchema },
    errors: ['CONFLICT'],
  },
  'GET /v1/audit': {
    summary: 'List the audit log of every tenant',
    query: auditQuerySchema,
    response: { status: 200, description: 'A page of entries', body: pageSchema(auditEntrySchema) },
  },
  'GET /v1/tenants/{tenantId}/ai-key': {
    summary: "Get the tenant's key status",
    params: tenantParamsSchema,
    response: { status: 200, description: 'The key that serves calls', body: tenantKeySchema },
  },
  'PUT /v1/tenants/{tenantId}/ai-key': {
    summary: "Set the tenant's own OpenAI key",
    description: 'The key is tested upstream first; it is never returned or logged.',
    params: tenantParamsSchema,
    body: setTenantKeySchema,
    response: { status: 200, description: 'The key that serves calls now', body: tenantKeySchema },
    errors: ['CONFLICT', 'UPSTREAM_ERROR'],
  },
  'DELETE /v1/tenants/{tenantId}/ai-key': {
    summary: "Remove the tenant's own key",
    description: 'Calls use the platform key again.',
    params: tenantParamsSchema,
    response: { status: 200, description: 'The key that serves calls now', body: tenantKeySchema },
  },
  'GET /v1/tenants/{tenantId}/audit': {
    summary: "List a tenant's audit log",
    params: tenantParamsSchema,
    query: auditQuerySchema,
    response: { status: 200, description: 'A page of entries', body: pageSchema(auditEntrySchema) },
  },
  'POST /v1/tenants/{tenantId}/users/batch': {
    summary: 'Invite up to 100 users',
    description: 'Each row is validated and gets its own result, so one bad row fails only itself.',
    params: tenantParamsSchema,
    body: batchInviteSchema,
    response: { status: 200, description: 'One result per row', body: batchInviteResultSchema },
  },
  'PATCH /v1/tenants/{tenantId}/users/{userId}': {
    summary: "Change a user's role or status",
    params: tenantUserParamsSchema,
    body: updateUserSchema,
    response: { status: 200, description: 'The changed user', body: userSchema },
  },
  'DELETE /v1/tenants/{tenantId}/users/{userId}': {
    summary: 'Delete a user',
    description:
      "For a user who never signed in, this revokes the invitation. The user's balance " +
      'returns to the pool; the record stays for the ledger.',
    params: tenantUserParamsSchema,
    response: { status: 204, description: 'Deleted' },
  },
  'POST /v1/tenants/{tenantId}/users/{userId}/invitation': {
    summary: 'Send an invitation again',
    params: tenantUserParamsSchema,
    response: { status: 200, description: 'The invited user', body: userSchema },
    errors: ['CONFLICT'],
  },
  'DELETE /v1/tenants/{tenantId}/users/{userId}/mfa': {
    summary: "Turn off a member's authenticator app",
    description:
      'For a member who lost their authenticator app: sign-in then requires the password ' +
      'only, and the member can add a new app on the Security page.',
    params: tenantUserParamsSchema,
    response: { status: 204, description: 'Turned off, or there was no app' },
    errors: ['CONFLICT'],
  },
  'POST /v1/tenants/{tenantId}/grants': {
    summary: "Grant credits to a tenant's pool",
    params: tenantParamsSchema,
    body: grantCreditsSchema,
    isIdempotent: true,
    response: { status: 201, description: 'The grant and the new pool', body: grantResultSchema },
    errors: ['CREDIT_LIMIT_EXCEEDED', ...idempotencyErrors],
  },
  'GET /v1/tenants/{tenantId}/credits': {
    summary: "Get a tenant's credit totals",
    params: tenantParamsSchema,
    response: { status: 200, description: 'Totals', body: tenantCreditsSchema },
  },
  'GET /v1/tenants/{tenantId}/usage': {
    summary: "Get a tenant's usage",
    description:
      'By day, user and model between two UTC days (default: the last 30, at most 92), with ' +
      'burn rates over the last 7 days and projected run-out days.',
    params: tenantParamsSchema,
    query: usageQuerySchema,
    response: { status: 200, description: 'Usage and burn rates', body: tenantUsageSchema },
  },
  'GET /v1/tenants/{tenantId}/ledger': {
    summary: "List a tenant's ledger entries",
    description:
      'Newest first. `userId` reads one user, `requestId` one AI call, `type` keeps one type.',
    params: tenantParamsSchema,
    query: tenantLedgerQuerySchema,
    response: {
      status: 200,
      description: 'A page of entries',
      body: pageSchema(ledgerEntrySchema),
    },
  },
  'GET /v1/tenants/{tenantId}/users': {
    summary: "List a tenant's users",
    params: tenantParamsSchema,
    query: listQuerySchema,
    response: { status: 200, description: 'A page of users', body: pageSchema(userSchema) },
  },
  'POST /v1/tenants/{tenantId}/users': {
    summary: 'Invite a user',
    description: 'An email that exists in any tenant returns 409 `USER_EXISTS`.',
    params: tenantParamsSchema,
    body: inviteUserSchema,
    response: { status: 201, description: 'The invited user', body: userSchema },
    errors: ['USER_EXISTS', 'SEAT_LIMIT_REACHED', 'CONFLICT'],
  },
  'GET /v1/tenants/{tenantId}/users/{userId}': {
    summary: 'Get a user',
    params: tenantUserParamsSchema,
    response: { status: 200, description: 'The user', body: userSchema },
  },
  'POST /v1/tenants/{tenantId}/users/{userId}/credits': {
    summary: "Allocate or reclaim a user's credits",
    params: tenantUserParamsSchema,
    body: moveCreditsSchema,
    isIdempotent: true,
    response: {
      status: 200,
      description: 'Balances after the move',
      body: moveCreditsResultSchema,
    },
    errors: ['POOL_INSUFFICIENT', 'USER_BALANCE_INSUFFICIENT', 'CONFLICT', ...idempotencyErrors],
  },
  'GET /v1/platform/overview': {
    summary: 'Read platform-wide figures',
    description:
      'Tenants by status, credit totals over all tenants, AI calls and credits spent per UTC ' +
      'day for the last `days` days (30 by default), and the tenants that spent most.',
    query: platformOverviewQuerySchema,
    response: { status: 200, description: 'The figures', body: platformOverviewSchema },
  },
  'GET /v1/tenants/{tenantId}/alerts': {
    summary: "Read a tenant's low-balance alerts",
    params: tenantParamsSchema,
    response: { status: 200, description: 'The thresholds', body: alertSettingsResponseSchema },
  },
  'PUT /v1/tenants/{tenantId}/alerts': {
    summary: "Set a tenant's low-balance alerts",
    description:
      'The pool threshold and one threshold for each user. When a balance falls below its ' +
      "threshold, the tenant's admins get one email per threshold, balance and UTC month.",
    params: tenantParamsSchema,
    body: alertSettingsSchema,
    response: {
      status: 200,
      description: 'The stored thresholds',
      body: alertSettingsResponseSchema,
    },
  },
  'GET /v1/tenants/{tenantId}/credit-requests': {
    summary: 'List credit requests',
    description: "A User sees their own requests; admins see the tenant's. Newest first.",
    params: tenantParamsSchema,
    query: creditRequestQuerySchema,
    response: {
      status: 200,
      description: 'A page of requests',
      body: pageSchema(creditRequestSchema),
    },
  },
  'POST /v1/tenants/{tenantId}/credit-requests': {
    summary: 'Ask for more credits',
    description:
      "The request is the caller's own; the tenant's admins are emailed. A member has at most " +
      '3 pending requests.',
    params: tenantParamsSchema,
    body: createCreditRequestSchema,
    response: { status: 201, description: 'The pending request', body: creditRequestSchema },
    errors: ['CONFLICT'],
  },
  'POST /v1/tenants/{tenantId}/credit-requests/{requestId}/approval': {
    summary: 'Approve a credit request',
    description:
      'Allocates the amount from the pool in the same transaction as the decision and emails ' +
      'the requester.',
    params: tenantCreditRequestParamsSchema,
    body: creditRequestDecisionSchema,
    response: {
      status: 200,
      description: 'The decided request and the balances after the allocation',
      body: approvedCreditRequestSchema,
    },
    errors: ['NOT_FOUND', 'POOL_INSUFFICIENT', 'CONFLICT'],
  },
  'POST /v1/tenants/{tenantId}/credit-requests/{requestId}/denial': {
    summary: 'Deny a credit request',
    description: 'Records the denial in the ledger and audit log and emails the requester.',
    params: tenantCreditRequestParamsSchema,
    body: creditRequestDecisionSchema,
    response: { status: 200, description: 'The decided request', body: deniedCreditRequestSchema },
    errors: ['NOT_FOUND', 'CONFLICT'],
  },
};
