import type { TenantStatus } from '@creditgate/shared';

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
  createdAt: string;
  updatedAt: string;
}

export function toTenantView(tenant: TenantRecord) {
  return {
    tenantId: tenant.tenantId,
    name: tenant.name,
    planId: tenant.planId,
    status: tenant.status,
    creditLimit: tenant.creditLimit,
    poolBalance: tenant.poolBalance,
    seatsUsed: tenant.seatsUsed,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}
