import { AppError, type InviteUserInput } from '@creditgate/shared';
import type { Caller } from '../lib/auth/authenticate';
import { getPlan } from '../plans/plans.repository';
import { getTenant } from '../tenants/tenants.repository';
import { createInvitedAccount } from './invitations';
import type { UserRecord } from './user.model';
import { cancelInvitation, getUser, listUsers, reserveInvitation } from './users.repository';

/** Invites a member to a tenant: reserves email and seat, creates the Cognito user, sends the invite. */
export async function inviteUser(options: {
  tenantId: string;
  actor: Caller;
  input: InviteUserInput;
}): Promise<UserRecord> {
  const { tenantId, input } = options;
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  const plan = await getPlan(tenant.planId);
  if (!plan) throw new Error(`Tenant ${tenantId} refers to missing plan ${tenant.planId}`);

  const now = new Date().toISOString();
  await reserveInvitation({ tenantId, email: input.email, seatLimit: plan.seatLimit, now });
  return createInvitedAccount({
    tenantId,
    tenantName: tenant.name,
    email: input.email,
    role: input.role,
    now,
    rollback: () => cancelInvitation({ tenantId, email: input.email }),
  });
}

export async function getTenantUser(options: {
  tenantId: string;
  userId: string;
}): Promise<UserRecord> {
  const user = await getUser(options.tenantId, options.userId);
  if (!user) throw new AppError('NOT_FOUND', 'User not found');
  return user;
}

export async function listTenantUsers(options: {
  tenantId: string;
  limit?: number;
  cursor?: string;
}) {
  const tenant = await getTenant(options.tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  return listUsers(options.tenantId, options);
}
