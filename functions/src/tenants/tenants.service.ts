import {
  AppError,
  type CreateTenantInput,
  newTenantId,
  type UpdateTenantInput,
} from '@creditgate/shared';
import type { Actor, AuditAction } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { logger } from '../lib/logger';
import { getPlan } from '../plans/plans.repository';
import { createInvitedAccount } from '../users/invitations';
import type { UserRecord } from '../users/user.model';
import { listAllUsers, setUserTenantStatus } from '../users/users.repository';
import type { TenantRecord } from './tenant.model';
import {
  createTenantWithAdminReservation,
  deleteTenantReservation,
  getTenant,
  updateTenant,
} from './tenants.repository';

/** User items marked at once while a tenant is suspended or reactivated. */
const STATUS_COPY_CONCURRENCY = 16;

/** Creates a tenant on a plan and invites its first TenantAdmin. */
export async function createTenant(options: {
  actor: Actor;
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
    adminCount: 1,
    createdAt: now,
    updatedAt: now,
  };
  const audit = newAuditEntry({
    actor: options.actor,
    tenantId: tenant.tenantId,
    action: 'tenant.create',
    targetType: 'tenant',
    targetId: tenant.tenantId,
    details: { name: tenant.name, planId: tenant.planId, creditLimit: tenant.creditLimit },
  });
  await createTenantWithAdminReservation(tenant, input.adminEmail, audit);
  logger.appendKeys({ target_tenant_id: tenant.tenantId });

  const admin = await createInvitedAccount({
    tenantId: tenant.tenantId,
    tenantName: tenant.name,
    email: input.adminEmail,
    role: 'TenantAdmin',
    now,
    actor: options.actor,
    rollback: () => deleteTenantReservation(tenant, input.adminEmail),
  });
  logger.info('Tenant created', { plan_id: tenant.planId });
  return { tenant, admin };
}

export async function getExistingTenant(tenantId: string): Promise<TenantRecord> {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  return tenant;
}

/** Returns a tenant with its plan's seat limit, so clients can show seats as used/total. */
export async function getTenantWithSeatLimit(
  tenantId: string,
): Promise<{ tenant: TenantRecord; seatLimit: number }> {
  const tenant = await getExistingTenant(tenantId);
  const plan = await getPlan(tenant.planId);
  return { tenant, seatLimit: plan?.seatLimit ?? 0 };
}

/**
 * Changes a tenant's name, plan, credit limit or status. Suspension and reactivation are
 * copied onto every user item before this returns, because calls check the copy inside
 * their hold; a failed copy fails the request, and sending it again finishes the job.
 */
export async function changeTenant(options: {
  tenantId: string;
  actor: Actor;
  input: UpdateTenantInput;
}): Promise<TenantRecord> {
  const before = await getExistingTenant(options.tenantId);
  const { input } = options;
  const isStatusChange = input.status !== undefined && input.status !== before.status;
  const action: AuditAction = !isStatusChange
    ? 'tenant.update'
    : input.status === 'SUSPENDED'
      ? 'tenant.suspend'
      : 'tenant.reactivate';
  const now = new Date().toISOString();
  await updateTenant({
    before,
    changes: input,
    now,
    audit: newAuditEntry({
      actor: options.actor,
      tenantId: before.tenantId,
      action,
      targetType: 'tenant',
      targetId: before.tenantId,
      details: { changes: input },
    }),
  });
  const after: TenantRecord = { ...before, ...input, updatedAt: now };
  if (input.status !== undefined) await copyStatusToUsers(after);
  logger.info('Tenant updated', { action });
  return after;
}

async function copyStatusToUsers(tenant: TenantRecord): Promise<void> {
  const users = (await listAllUsers(tenant.tenantId)).filter(
    (user) => user.status !== 'DELETED' && user.tenantStatus !== tenant.status,
  );
  for (let start = 0; start < users.length; start += STATUS_COPY_CONCURRENCY) {
    const batch = users.slice(start, start + STATUS_COPY_CONCURRENCY);
    await Promise.all(
      batch.map((user) => setUserTenantStatus(tenant.tenantId, user.userId, tenant.status)),
    );
  }
}
