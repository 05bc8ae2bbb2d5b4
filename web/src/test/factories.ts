import type { Tenant, TenantUser } from '../lib/api-client';

/**
 * Returns an active member of the test tenant who has not signed in yet, with any fields
 * replaced.
 */
export function createTenantUser(fields: Partial<TenantUser> = {}): TenantUser {
  return {
    userId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    tenantId: 'tnt_01J00000000000000000000000',
    email: 'member@example.test',
    role: 'User',
    status: 'ACTIVE',
    balance: 0,
    held: 0,
    spent: 0,
    createdAt: '2026-12-04T00:00:00.000Z',
    invitedAt: '2026-12-04T10:15:00.000Z',
    activatedAt: null,
    lastActiveAt: null,
    ...fields,
  };
}

/** Returns an active test tenant named Acme, with any fields replaced. */
export function createTenant(fields: Partial<Tenant> = {}): Tenant {
  return {
    tenantId: 'tnt_01J00000000000000000000001',
    name: 'Acme',
    planId: 'pln_01J00000000000000000000000',
    status: 'ACTIVE',
    creditLimit: 100_000,
    poolBalance: 8_000,
    seatsUsed: 3,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...fields,
  };
}
