import type { KeyRotationFailure } from '@creditgate/shared';

/** Totals of AI calls: how many, what they cost in credits and the tokens they used. */
export interface UsageTotals {
  calls: number;
  cost: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * A tenant's usage between two UTC days, as `GET /v1/tenants/{tenantId}/usage` returns it.
 * Burn rates are the average credits spent per day over the last `burnRate.days` days.
 */
export interface TenantUsage {
  from: string;
  to: string;
  totals: UsageTotals;
  days: (UsageTotals & { day: string })[];
  users: (UsageTotals & { userId: string })[];
  models: (UsageTotals & { model: string })[];
  burnRate: {
    days: number;
    creditsPerDay: number;
    /** UTC day on which the pool and the users' balances run out, or null when nothing is spent. */
    runsOutOn: string | null;
    users: { userId: string; balance: number; creditsPerDay: number; runsOutOn: string | null }[];
  };
}

/** The platform key's state, as `GET /v1/platform/ai-key` returns it. Never the key itself. */
export interface PlatformKeyStatus {
  status: 'Active' | 'Inactive';
  source: 'platform';
  lastRotatedAt: string | null;
  nextRotationAt: string | null;
  rotationEnabled: boolean;
  lastFailure: KeyRotationFailure | null;
}

/** The key that serves a tenant's AI calls. Never the key itself. */
export interface TenantKeyStatus {
  source: 'platform' | 'tenant';
  status: 'Active' | 'Inactive';
}

/** Low-balance alert thresholds in credits; null turns an alert off. */
export interface AlertSettings {
  poolThreshold: number | null;
  userThreshold: number | null;
  updatedAt: string | null;
}

export type CreditRequestStatus = 'PENDING' | 'APPROVED' | 'DENIED';

/** A member's request for more credits, which a TenantAdmin approves or denies. */
export interface CreditRequest {
  requestId: string;
  userId: string;
  email: string;
  amount: number;
  reason: string;
  status: CreditRequestStatus;
  createdAt: string;
  decidedAt: string | null;
  /** User id of the admin who decided. */
  decidedBy: string | null;
  note: string | null;
}

export type LedgerEntryType = 'GRANT' | 'ALLOCATE' | 'RECLAIM' | 'HOLD' | 'SETTLE' | 'RELEASE';

/** One credit movement of the ledger. */
export interface LedgerEntry {
  entryId: string;
  tenantId: string;
  type: LedgerEntryType;
  /** Credits moved, always positive. */
  amount: number;
  createdAt: string;
  actorId: string;
  userId?: string;
  requestId?: string;
  reason?: string;
  model?: string;
  usage?: { promptTokens: number; cachedPromptTokens: number; completionTokens: number };
  /** Part of the hold returned to the balance by a SETTLE. */
  released?: number;
  shortfall?: number;
  isEstimated?: boolean;
}

export type ApiTokenStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** A personal API token as the API lists it. The token itself is shown only at creation. */
export interface ApiToken {
  tokenId: string;
  name: string;
  status: ApiTokenStatus;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A created token with its secret value, which no later response contains. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

/** `GET /v1/platform/overview`: figures summed over every tenant. */
export interface PlatformOverview {
  from: string;
  to: string;
  tenants: { total: number; active: number; suspended: number };
  credits: { granted: number; poolBalance: number; allocated: number; held: number; spent: number };
  callsPerDay: { day: string; calls: number; cost: number }[];
  topTenants: { tenantId: string; name: string; cost: number }[];
}
