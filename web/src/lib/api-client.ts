import type {
  CreatePlanInput,
  CreateTenantInput,
  GrantCreditsInput,
  InviteUserInput,
  MoveCreditsInput,
  PriceTable,
  Role,
  TenantStatus,
  UpdatePlanInput,
  UpdateTenantInput,
  UpdateUserInput,
  UserStatus,
} from '@creditgate/shared';
import { readErrorResponse } from './api-error';
import type {
  AlertSettings,
  ApiToken,
  CreatedApiToken,
  CreditRequest,
  CreditRequestStatus,
  LedgerEntry,
  PlatformKeyStatus,
  PlatformOverview,
  TenantKeyStatus,
  TenantUsage,
} from './api-types';

/** One page of a list route. Pass `nextCursor` back as `cursor` for the next page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The caller, as `GET /v1/me` returns it. */
export interface Me {
  userId: string;
  email: string;
  tenantId: string;
  role: Role;
  status: UserStatus;
  balance: number;
  held: number;
  spent: number;
}

export interface Plan extends CreatePlanInput {
  planId: string;
  /** Tenants on the plan. A plan in use cannot be deleted. */
  tenantCount?: number;
  createdAt: string;
  updatedAt: string;
}

export interface Tenant {
  tenantId: string;
  name: string;
  planId: string;
  status: TenantStatus;
  creditLimit: number;
  poolBalance: number;
  seatsUsed: number;
  createdAt: string;
  updatedAt: string;
}

/** A tenant as `GET /v1/tenants/{tenantId}` returns it, with its plan's seat limit. */
export interface TenantDetails extends Tenant {
  seatLimit: number;
}

export interface CreatedTenant extends Tenant {
  admin: { userId: string; email: string; status: UserStatus };
}

export interface TenantUser {
  userId: string;
  tenantId: string;
  email: string;
  role: Role;
  status: UserStatus;
  balance: number;
  held: number;
  spent: number;
  createdAt: string;
  /** When the last invitation email was sent, first or resent. */
  invitedAt: string | null;
  /** When the user first signed in. */
  activatedAt: string | null;
  /** Time of the user's latest AI call, or null before the first. */
  lastActiveAt: string | null;
}

/** One row of a bulk invitation, as sent. The API checks each row on its own. */
export interface BatchInviteRow {
  email: string;
  /**
   * `User` or `TenantAdmin`. Anything else is sent as typed, and the API marks that row
   * `invalid`.
   */
  role: string;
}

/** The outcome of one row of a bulk invitation. */
export interface BatchInviteResult {
  email: string;
  result: 'invited' | 'exists' | 'invalid' | 'seat_limit';
  userId?: string;
  message?: string;
}

/** One administrative action, as the audit log lists it. */
export interface AuditEntry {
  auditId: string;
  /** The tenant the action concerns, or `platform` for plans, prices and keys. */
  tenantId: string;
  action: string;
  actorId: string;
  actorEmail: string;
  targetType: string;
  targetId: string;
  requestId: string;
  createdAt: string;
  details?: Record<string, unknown>;
}

/** Filters and paging of an audit log list. Every field is optional. */
export interface AuditQuery {
  limit?: number;
  cursor?: string;
  action?: string;
  actorId?: string;
}

/** A tenant's credit totals, where `granted = poolBalance + allocated + held + spent`. */
export interface TenantCredits {
  poolBalance: number;
  creditLimit: number;
  allocated: number;
  held: number;
  spent: number;
  granted: number;
}

/** The platform price table: integer credits per 1M tokens, keyed by model id. */
export interface PlatformPrices {
  prices: Record<string, { input: number; cachedInput: number; output: number }>;
  /** Null while the defaults apply. */
  updatedAt: string | null;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ApiClientOptions {
  /** Origin of the API, or empty when the API shares the SPA's origin. */
  baseUrl: string;
  /** Returns a current ID token, refreshing it first when it is about to expire. */
  getIdToken: () => Promise<string>;
  /** Called when the API rejects the token, before the error is thrown to the caller. */
  onUnauthenticated: () => void;
}

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Lets the API return the first response when a grant or allocation is sent twice. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * Creates the SPA's client for the Creditgate API. Every call sends the ID token as a bearer
 * token and throws an `ApiError` (see `parseErrorBody`) for any non-2xx response.
 */
export function createApiClient(options: ApiClientOptions) {
  const send = async (method: string, path: string, request: RequestOptions = {}) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await options.getIdToken()}`,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;

    const response = await fetch(`${options.baseUrl}${path}${toQueryString(request.query)}`, {
      method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
    if (!response.ok) {
      const error = await readErrorResponse(response);
      if (response.status === 401) options.onUnauthenticated();
      throw error;
    }
    return response;
  };

  const json = async <T>(method: string, path: string, request?: RequestOptions): Promise<T> =>
    (await (await send(method, path, request)).json()) as T;

  const tenantPath = (tenantId: string) => `/v1/tenants/${encodeURIComponent(tenantId)}`;
  const userPath = (tenantId: string, userId: string) =>
    `${tenantPath(tenantId)}/users/${encodeURIComponent(userId)}`;
  const auditQuery = (query: AuditQuery) => ({
    limit: query.limit ?? 50,
    cursor: query.cursor,
    action: query.action,
    actorId: query.actorId,
  });

  return {
    /** Returns the origin that API clients such as the `openai` SDK should call. */
    getApiOrigin: () => options.baseUrl || window.location.origin,
    getMe: () => json<Me>('GET', '/v1/me'),

    listPlans: (cursor?: string) =>
      json<Page<Plan>>('GET', '/v1/plans', { query: { limit: 100, cursor } }),
    createPlan: (input: CreatePlanInput) => json<Plan>('POST', '/v1/plans', { body: input }),
    /** Changes some of a plan's fields. Only the fields sent change. */
    updatePlan: (planId: string, input: UpdatePlanInput) =>
      json<Plan>('PATCH', `/v1/plans/${encodeURIComponent(planId)}`, { body: input }),
    deletePlan: async (planId: string): Promise<void> => {
      await send('DELETE', `/v1/plans/${encodeURIComponent(planId)}`);
    },
    getPrices: () => json<PlatformPrices>('GET', '/v1/platform/prices'),
    /** Replaces the whole price table. The new prices apply to calls that start later. */
    updatePrices: (prices: PriceTable) =>
      json<PlatformPrices & { effectiveAt: string | null }>('PUT', '/v1/platform/prices', {
        body: { prices },
      }),

    getPlatformKey: () => json<PlatformKeyStatus>('GET', '/v1/platform/ai-key'),
    /** Stores a new platform key and starts the rotation that tests it before use. */
    submitPlatformKey: (apiKey: string) =>
      json<{ versionId: string }>('PUT', '/v1/platform/ai-key', { body: { apiKey } }),
    /** "Rotate now": starts a rotation that mints a new platform key. */
    rotatePlatformKey: () =>
      json<{ versionId: string }>('POST', '/v1/platform/ai-key/rotation', { body: {} }),

    /** Lists tenants, newest first; `search` keeps names containing it, or that tenant id. */
    listTenants: (cursor?: string, search?: string) =>
      json<Page<Tenant>>('GET', '/v1/tenants', { query: { limit: 50, cursor, q: search } }),
    createTenant: (input: CreateTenantInput) =>
      json<CreatedTenant>('POST', '/v1/tenants', { body: input }),
    grantCredits: (tenantId: string, input: GrantCreditsInput, idempotencyKey: string) =>
      json<{ poolBalance: number }>('POST', `${tenantPath(tenantId)}/grants`, {
        body: input,
        idempotencyKey,
      }),
    getTenant: (tenantId: string) => json<TenantDetails>('GET', tenantPath(tenantId)),
    /** Renames a tenant, changes its plan or credit limit, or suspends or reactivates it. */
    updateTenant: (tenantId: string, input: UpdateTenantInput) =>
      json<Tenant>('PATCH', tenantPath(tenantId), { body: input }),
    /** Reads usage between two UTC days (`YYYY-MM-DD`, at most 92 days apart). */
    /** Reads tenants, credits and AI calls summed over the platform, for the last `days` days. */
    getPlatformOverview: (days: number) =>
      json<PlatformOverview>('GET', '/v1/platform/overview', { query: { days } }),
    getTenantUsage: (tenantId: string, range: { from?: string; to?: string } = {}) =>
      json<TenantUsage>('GET', `${tenantPath(tenantId)}/usage`, { query: range }),
    /** Lists a tenant's ledger newest first, optionally one entry type. */
    listTenantLedger: (
      tenantId: string,
      query: { type?: string; limit?: number; cursor?: string },
    ) => json<Page<LedgerEntry>>('GET', `${tenantPath(tenantId)}/ledger`, { query }),

    getTenantKey: (tenantId: string) =>
      json<TenantKeyStatus>('GET', `${tenantPath(tenantId)}/ai-key`),
    /** Tests the tenant's own OpenAI key upstream and stores it. */
    setTenantKey: (tenantId: string, apiKey: string) =>
      json<TenantKeyStatus>('PUT', `${tenantPath(tenantId)}/ai-key`, { body: { apiKey } }),
    deleteTenantKey: (tenantId: string) =>
      json<TenantKeyStatus>('DELETE', `${tenantPath(tenantId)}/ai-key`),

    getAlerts: (tenantId: string) => json<AlertSettings>('GET', `${tenantPath(tenantId)}/alerts`),
    updateAlerts: (
      tenantId: string,
      input: { poolThreshold: number | null; userThreshold: number | null },
    ) => json<AlertSettings>('PUT', `${tenantPath(tenantId)}/alerts`, { body: input }),

    /** Lists credit requests newest first: all of the tenant for admins, a User's own for Users. */
    listCreditRequests: (
      tenantId: string,
      query: { status?: CreditRequestStatus; cursor?: string; limit?: number },
    ) =>
      json<Page<CreditRequest>>('GET', `${tenantPath(tenantId)}/credit-requests`, {
        query: { limit: 50, ...query },
      }),
    /** Asks the tenant's admins for credits. At most 3 requests per user may be pending. */
    createCreditRequest: (tenantId: string, input: { amount: number; reason: string }) =>
      json<CreditRequest>('POST', `${tenantPath(tenantId)}/credit-requests`, { body: input }),
    /** Approves a request, which allocates its amount from the pool. */
    approveCreditRequest: (tenantId: string, requestId: string, note?: string) =>
      json<{ request: CreditRequest; userBalance: number; poolBalance: number }>(
        'POST',
        `${tenantPath(tenantId)}/credit-requests/${encodeURIComponent(requestId)}/approval`,
        { body: note ? { note } : {} },
      ),
    denyCreditRequest: (tenantId: string, requestId: string, note?: string) =>
      json<{ request: CreditRequest }>(
        'POST',
        `${tenantPath(tenantId)}/credit-requests/${encodeURIComponent(requestId)}/denial`,
        { body: note ? { note } : {} },
      ),
    getTenantCredits: (tenantId: string) =>
      json<TenantCredits>('GET', `${tenantPath(tenantId)}/credits`),

    listUsers: (tenantId: string, cursor?: string) =>
      json<Page<TenantUser>>('GET', `${tenantPath(tenantId)}/users`, {
        query: { limit: 50, cursor },
      }),
    inviteUser: (tenantId: string, input: InviteUserInput) =>
      json<TenantUser>('POST', `${tenantPath(tenantId)}/users`, { body: input }),
    inviteUsers: (tenantId: string, users: BatchInviteRow[]) =>
      json<{ results: BatchInviteResult[] }>('POST', `${tenantPath(tenantId)}/users/batch`, {
        body: { users },
      }),
    /** Sends an invited user a new temporary password, which replaces the old one. */
    resendInvitation: (tenantId: string, userId: string) =>
      json<TenantUser>('POST', `${userPath(tenantId, userId)}/invitation`),
    /** Changes a user's role, or disables (`DISABLED`) or enables (`ACTIVE`) them. */
    updateUser: (tenantId: string, userId: string, input: UpdateUserInput) =>
      json<TenantUser>('PATCH', userPath(tenantId, userId), { body: input }),
    /** Turns off a user's authenticator app, for a user who lost it. */
    resetUserMfa: async (tenantId: string, userId: string): Promise<void> => {
      await send('DELETE', `${userPath(tenantId, userId)}/mfa`);
    },
    /**
     * Deletes a user and returns their balance to the pool. For an invited user this revokes
     * the invitation.
     */
    deleteUser: async (tenantId: string, userId: string): Promise<void> => {
      await send('DELETE', userPath(tenantId, userId));
    },
    moveUserCredits: (
      tenantId: string,
      userId: string,
      input: MoveCreditsInput,
      idempotencyKey: string,
    ) =>
      json<{ userBalance: number; poolBalance: number }>(
        'POST',
        `${userPath(tenantId, userId)}/credits`,
        { body: input, idempotencyKey },
      ),

    /** Lists one tenant's audit log, newest first. */
    listTenantAudit: (tenantId: string, query: AuditQuery) =>
      json<Page<AuditEntry>>('GET', `${tenantPath(tenantId)}/audit`, {
        query: auditQuery(query),
      }),
    /** Lists the audit log of every tenant and of the platform, newest first (SuperAdmin). */
    listAudit: (query: AuditQuery) =>
      json<Page<AuditEntry>>('GET', '/v1/audit', { query: auditQuery(query) }),

    /** Lists the caller's own ledger newest first. */
    listMyLedger: (query: { cursor?: string; limit?: number; requestId?: string } = {}) =>
      json<Page<LedgerEntry>>('GET', '/v1/me/ledger', { query: { limit: 25, ...query } }),
    listApiTokens: () =>
      json<Page<ApiToken>>('GET', '/v1/me/api-tokens', { query: { limit: 100 } }),
    /** Creates a personal API token. The response is the only one that contains it. */
    createApiToken: (input: { name: string; expiresInDays?: number }) =>
      json<CreatedApiToken>('POST', '/v1/me/api-tokens', { body: input }),
    revokeApiToken: async (tokenId: string): Promise<void> => {
      await send('DELETE', `/v1/me/api-tokens/${encodeURIComponent(tokenId)}`);
    },

    listModels: () => json<{ object: 'list'; data: { id: string }[] }>('GET', '/v1/models'),
    /**
     * Starts a streamed chat completion and returns the response once its headers arrive.
     * Read its body with `readChatStream`.
     */
    startChatStream: (model: string, messages: ChatMessage[], signal?: AbortSignal) =>
      send('POST', '/v1/chat/completions', {
        body: { model, messages, stream: true },
        signal,
      }),
  };
}

function toQueryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
