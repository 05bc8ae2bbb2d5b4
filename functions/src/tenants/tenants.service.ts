import { AppError, type CreateTenantInput, newTenantId } from '@creditgate/shared';
import type { Caller } from '../lib/auth/authenticate';
import { logger } from '../lib/logger';
import { createInvitedAccount } from '../users/invitations';
import type { UserRecord } from '../users/user.model';
import type { TenantRecord } from './tenant.model';
import {
  createTenantWithAdminReservation,
  deleteTenantReservation,
  getTenant,
} from './tenants.repository';

/** Creates a tenant on a plan and invites its first TenantAdmin. */
export async function createTenant(options: {
  actor: Caller;
  input: CreateTenantInput;
}): Promise<{ tenant: TenantRecord; admin: UserRecord }> {
  const { input } = options;
  const now = new Date().toISOString();
  const tenant: TenantRecord = {
    tenantId: newTenantId(),
    name: input.name,
    planId: input.planId,
    status: 'ACTIVE',
    creditLimit: input.creditLimit,
    poolBalance: 0,
    granted: 0,
    seatsUsed: 1,
    createdAt: now,
    updatedAt: now,
  };
  await createTenantWithAdminReservation(tenant, input.adminEmail);
  logger.appendKeys({ target_tenant_id: tenant.tenantId });

  const admin = await createInvitedAccount({
    tenantId: tenant.tenantId,
    tenantName: tenant.name,
    email: input.adminEmail,
    role: 'TenantAdmin',
    now,
    rollback: () => deleteTenantReservation(tenant.tenantId, input.adminEmail),
  });
  logger.info('Tenant created', { plan_id: tenant.planId });
  return { tenant, admin };
}

export async function getExistingTenant(tenantId: string): Promise<TenantRecord> {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  return tenant;
}
