import type { Role } from './constants';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The data a route reaches:
 * - `self`: the caller's own records;
 * - `tenant`: one tenant named by `{tenantId}` in the path, which must be the caller's own
 *   unless the caller is a SuperAdmin;
 * - `platform`: platform-wide records.
 */
export type RouteScope = 'self' | 'tenant' | 'platform';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway resource path with `{name}` parameters, under the `/v1` base path. */
  path: string;
  /** Handler module under `functions/src`, without the `.handler.ts` suffix. */
  handler: string;
  /** Roles allowed to call the route; every other role gets 403 `FORBIDDEN`. */
  roles: readonly Role[];
  scope: RouteScope;
  /** `openai` routes answer in OpenAI's error shape; all others in the platform's. */
  errorShape: 'platform' | 'openai';
  /** Lambda response streaming behind API Gateway's `STREAM` response transfer mode. */
  isStreaming?: boolean;
  /**
   * Served to anyone without a token: no gateway authorizer and no token check, and every
   * caller, anonymous or not, gets the same response. `roles` then lists every role.
   */
  isPublic?: boolean;
}

const anyRole: readonly Role[] = ['SuperAdmin', 'TenantAdmin', 'User'];
const superAdmin: readonly Role[] = ['SuperAdmin'];
const tenantAdmins: readonly Role[] = ['SuperAdmin', 'TenantAdmin'];
const aiCallers: readonly Role[] = ['TenantAdmin', 'User'];

/** Every route of the API. CDK, the local gateway and the access tests read this table. */
export const routes: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'api-docs/get-openapi',
    roles: anyRole,
    scope: 'platform',
    errorShape: 'platform',
    isPublic: true,
  },
  {
    method: 'GET',
    path: '/v1/me',
    handler: 'me/get-me',
    roles: anyRole,
    scope: 'self',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/me/ledger',
    handler: 'me/list-my-ledger',
    roles: anyRole,
    scope: 'self',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/me/api-tokens',
    handler: 'api-tokens/list-api-tokens',
    roles: anyRole,
    scope: 'self',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/me/api-tokens',
    handler: 'api-tokens/create-api-token',
    roles: anyRole,
    scope: 'self',
    errorShape: 'platform',
  },
  {
    method: 'DELETE',
    path: '/v1/me/api-tokens/{tokenId}',
    handler: 'api-tokens/revoke-api-token',
    roles: anyRole,
    scope: 'self',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    handler: 'ai/chat-completions',
    roles: aiCallers,
    scope: 'self',
    errorShape: 'openai',
    isStreaming: true,
  },
  {
    method: 'POST',
    path: '/v1/embeddings',
    handler: 'ai/embeddings',
    roles: aiCallers,
    scope: 'self',
    errorShape: 'openai',
  },
  {
    method: 'GET',
    path: '/v1/models',
    handler: 'ai/list-models',
    roles: aiCallers,
    scope: 'self',
    errorShape: 'openai',
  },
  {
    method: 'GET',
    path: '/v1/plans',
    handler: 'plans/list-plans',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/plans',
    handler: 'plans/create-plan',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'PATCH',
    path: '/v1/plans/{planId}',
    handler: 'plans/update-plan',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'DELETE',
    path: '/v1/plans/{planId}',
    handler: 'plans/delete-plan',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'PUT',
    path: '/v1/platform/prices',
    handler: 'prices/update-prices',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/platform/overview',
    handler: 'platform/get-platform-overview',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/platform/prices',
    handler: 'prices/get-prices',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/platform/ai-key',
    handler: 'keys/get-platform-key',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'PUT',
    path: '/v1/platform/ai-key',
    handler: 'keys/submit-platform-key',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/platform/ai-key/rotation',
    handler: 'keys/start-platform-key-rotation',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants',
    handler: 'tenants/list-tenants',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants',
    handler: 'tenants/create-tenant',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}',
    handler: 'tenants/get-tenant',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'PATCH',
    path: '/v1/tenants/{tenantId}',
    handler: 'tenants/update-tenant',
    roles: superAdmin,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/platform/ledger-verification',
    handler: 'credits/verify-ledger',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/audit',
    handler: 'audit/list-audit',
    roles: superAdmin,
    scope: 'platform',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/ai-key',
    handler: 'keys/get-tenant-key',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'PUT',
    path: '/v1/tenants/{tenantId}/ai-key',
    handler: 'keys/set-tenant-key',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'DELETE',
    path: '/v1/tenants/{tenantId}/ai-key',
    handler: 'keys/delete-tenant-key',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/audit',
    handler: 'audit/list-tenant-audit',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/alerts',
    handler: 'alerts/get-alert-settings',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'PUT',
    path: '/v1/tenants/{tenantId}/alerts',
    handler: 'alerts/update-alert-settings',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  // A User lists and posts their own requests; TenantAdmins see the tenant's and decide.
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/credit-requests',
    handler: 'credit-requests/list-credit-requests',
    roles: anyRole,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/credit-requests',
    handler: 'credit-requests/create-credit-request',
    roles: aiCallers,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/credit-requests/{requestId}/approval',
    handler: 'credit-requests/approve-credit-request',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/credit-requests/{requestId}/denial',
    handler: 'credit-requests/deny-credit-request',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/users/batch',
    handler: 'users/invite-users',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'PATCH',
    path: '/v1/tenants/{tenantId}/users/{userId}',
    handler: 'users/update-user',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'DELETE',
    path: '/v1/tenants/{tenantId}/users/{userId}',
    handler: 'users/delete-user',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/users/{userId}/invitation',
    handler: 'users/resend-invitation',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'DELETE',
    path: '/v1/tenants/{tenantId}/users/{userId}/mfa',
    handler: 'users/reset-user-mfa',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/grants',
    handler: 'credits/grant-credits',
    roles: superAdmin,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/credits',
    handler: 'credits/get-tenant-credits',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/usage',
    handler: 'usage/get-tenant-usage',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/ledger',
    handler: 'credits/list-tenant-ledger',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/users',
    handler: 'users/list-users',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/users',
    handler: 'users/invite-user',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'GET',
    path: '/v1/tenants/{tenantId}/users/{userId}',
    handler: 'users/get-user',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
  {
    method: 'POST',
    path: '/v1/tenants/{tenantId}/users/{userId}/credits',
    handler: 'credits/move-user-credits',
    roles: tenantAdmins,
    scope: 'tenant',
    errorShape: 'platform',
  },
];

/** Finds the route for a method and a resource path template such as `/v1/plans/{planId}`. */
export function findRoute(method: string, resourcePath: string): RouteDefinition | undefined {
  return routes.find((route) => route.method === method && route.path === resourcePath);
}
