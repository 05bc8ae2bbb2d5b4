import type { TenantStatus } from '@creditgate/shared';
import type { AlertSettings } from '../alerts/alert-settings';

/** A tenant as stored. `granted` counts every credit ever granted to the pool. */
export interface TenantRecord {
  tenantId: string;
  name: string;
  planId: string;
  status: TenantStatus;
  creditLimit: number;
  poolBalance: number;
  granted: number;
  seatsUsed: number;
  /** TenantAdmins who are invited or active; never brought below 1 by a change. */
  adminCount: number;
  createdAt: string;
  updatedAt: string;
  /** The tenant's own OpenAI key, when one is set; the key itself is in Secrets Manager. */
  ownKey?: TenantKeyState;
  /** Low-balance alert thresholds; absent until an admin sets them. */
  alerts?: AlertSettings;
}

/** State of a tenant's own key. `setAt` tells one stored key from the next. */
export interface TenantKeyState {
  status: 'Active' | 'Inactive';
  /** ISO 8601 time the key was stored. */
  setAt: string;
}

export function toTenantView(tenant: TenantRecord, seatLimit?: number) {
  return {
    tenantId: tenant.tenantId,
    name: tenant.name,
    planId: tenant.planId,
    status: tenant.status,
    creditLimit: tenant.creditLimit,
    poolBalance: tenant.poolBalance,
    seatsUsed: tenant.seatsUsed,
    ...(seatLimit !== undefined && { seatLimit }),
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}
