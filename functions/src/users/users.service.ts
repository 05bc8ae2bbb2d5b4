import { AppError, type InviteUserInput, type UpdateUserInput, ulid } from '@creditgate/shared';
import type { Actor, AuditAction } from '../audit/audit.model';
import { appendAuditEntry, newAuditEntry } from '../audit/audit.repository';
import {
  deleteCognitoUser,
  disableCognitoUserMfa,
  resetTemporaryPassword,
  setCognitoUserEnabled,
  setCognitoUserRole,
} from '../identity/cognito.repository';
import { generateTemporaryPassword } from '../identity/temporary-password';
import { logger } from '../lib/logger';
import { getPlan } from '../plans/plans.repository';
import type { TenantRecord } from '../tenants/tenant.model';
import { getTenant } from '../tenants/tenants.repository';
import { createInvitedAccount, sendInvitationToOutbox } from './invitations';
import type { UserRecord } from './user.model';
import {
  cancelInvitation,
  getUser,
  listUsers,
  markUserDeleted,
  recordInvitationResent,
  reserveInvitation,
  updateUserAccess,
} from './users.repository';

/** Invites a member to a tenant: reserves email and seat, creates the Cognito user, sends the invite. */
export async function inviteUser(options: {
  tenantId: string;
  actor: Actor;
  input: InviteUserInput;
}): Promise<UserRecord> {
  const { tenantId, input } = options;
  const { tenant, seatLimit } = await getTenantWithSeats(tenantId);
  return inviteToTenant({ tenant, seatLimit, actor: options.actor, input });
}

/** The outcome of one row of a bulk invitation. */
export interface BatchInviteResult {
  email: string;
  result: 'invited' | 'exists' | 'invalid' | 'seat_limit';
  userId?: string;
  message?: string;
}

/**
 * Invites up to 100 members, one row at a time. Each row is done whole or not at all (the
 * single invitation's own rollback), and one row's failure does not stop the others.
 */
export async function inviteUsers(options: {
  tenantId: string;
  actor: Actor;
  rows: { email: string; role: InviteUserInput['role'] | undefined; problem?: string }[];
}): Promise<BatchInviteResult[]> {
  const { tenant, seatLimit } = await getTenantWithSeats(options.tenantId);
  const results: BatchInviteResult[] = [];
  for (const row of options.rows) {
    if (row.problem || !row.role) {
      results.push({
        email: row.email,
        result: 'invalid',
        message: row.problem ?? 'role is invalid',
      });
      continue;
    }
    try {
      const user = await inviteToTenant({
        tenant,
        seatLimit,
        actor: options.actor,
        input: { email: row.email, role: row.role },
      });
      results.push({ email: row.email, result: 'invited', userId: user.userId });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const result = batchResultOf(error);
      if (!result) throw error;
      results.push({ email: row.email, result, message: error.message });
    }
  }
  return results;
}

function batchResultOf(error: AppError): BatchInviteResult['result'] | undefined {
  if (error.code === 'USER_EXISTS') return 'exists';
  if (error.code === 'SEAT_LIMIT_REACHED') return 'seat_limit';
  if (error.code === 'VALIDATION_FAILED') return 'invalid';
  return undefined;
}

async function inviteToTenant(options: {
  tenant: TenantRecord;
  seatLimit: number;
  actor: Actor;
  input: InviteUserInput;
}): Promise<UserRecord> {
  const { tenant, input } = options;
  const now = new Date().toISOString();
  await reserveInvitation({
    tenantId: tenant.tenantId,
    email: input.email,
    role: input.role,
    seatLimit: options.seatLimit,
    now,
  });
  return createInvitedAccount({
    tenantId: tenant.tenantId,
    tenantName: tenant.name,
    email: input.email,
    role: input.role,
    now,
    actor: options.actor,
    rollback: () =>
      cancelInvitation({ tenantId: tenant.tenantId, email: input.email, role: input.role }),
  });
}

async function getTenantWithSeats(
  tenantId: string,
): Promise<{ tenant: TenantRecord; seatLimit: number }> {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  const plan = await getPlan(tenant.planId);
  if (!plan) throw new Error(`Tenant ${tenantId} refers to missing plan ${tenant.planId}`);
  return { tenant, seatLimit: plan.seatLimit };
}

/** Returns a user of the tenant; a deleted one answers as missing. */
export async function getTenantUser(options: {
  tenantId: string;
  userId: string;
}): Promise<UserRecord> {
  const user = await getUser(options.tenantId, options.userId);
  if (!user || user.status === 'DELETED') throw new AppError('NOT_FOUND', 'User not found');
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

/**
 * Sends an invited user a new temporary password; the old one stops working. The user must
 * not have signed in yet.
 */
export async function resendInvitation(options: {
  tenantId: string;
  userId: string;
  actor: Actor;
}): Promise<UserRecord> {
  const user = await getTenantUser(options);
  if (user.status !== 'INVITED') {
    throw new AppError(
      'CONFLICT',
      'Only a user who has not signed in yet can get the invitation again',
    );
  }
  const tenant = await getTenant(options.tenantId);
  const temporaryPassword = generateTemporaryPassword();
  await resetTemporaryPassword(user.email, temporaryPassword);
  const now = new Date().toISOString();
  await recordInvitationResent(
    user,
    now,
    newAuditEntry({
      actor: options.actor,
      tenantId: user.tenantId,
      action: 'user.resend-invitation',
      targetType: 'user',
      targetId: user.userId,
      details: { email: user.email },
    }),
  );
  await sendInvitationToOutbox({
    tenantName: tenant?.name ?? '',
    email: user.email,
    temporaryPassword,
  });
  logger.info('Invitation resent', { target_user_id: user.userId });
  return { ...user, invitedAt: now };
}

/**
 * Turns off a member's authenticator app, for a member who lost it. Sign-in then requires
 * the password only, and the member can add a new app on the Security page. A user who
 * never signed in has no app to turn off.
 */
export async function resetUserMfa(options: {
  tenantId: string;
  userId: string;
  actor: Actor;
}): Promise<void> {
  const user = await getTenantUser(options);
  if (user.status === 'INVITED') {
    throw new AppError('CONFLICT', 'A user who has not signed in yet has no authenticator app');
  }
  try {
    await disableCognitoUserMfa(user.email);
  } catch (error) {
    if ((error as Error).name !== 'UserNotFoundException') throw error;
    logger.error('The Cognito user of a user record is missing', {
      target_user_id: user.userId,
      error: error as Error,
    });
    throw new AppError('NOT_FOUND', 'User not found', { cause: error });
  }
  await appendAuditEntry(
    newAuditEntry({
      actor: options.actor,
      tenantId: user.tenantId,
      action: 'user.reset-mfa',
      targetType: 'user',
      targetId: user.userId,
      details: { email: user.email },
    }),
  );
  logger.info('Authenticator app turned off', { target_user_id: user.userId });
}

/**
 * Changes a member's role and/or enables or disables them. The change applies on their next
 * request, because every request reads the user record. A tenant keeps at least one
 * TenantAdmin who can sign in.
 */
export async function updateUser(options: {
  tenantId: string;
  userId: string;
  actor: Actor;
  input: UpdateUserInput;
}): Promise<UserRecord> {
  const user = await getTenantUser(options);
  const role = options.input.role ?? user.role;
  const status = nextStatus(user, options.input.status);
  if (role === user.role && status === user.status) return user;

  const action: AuditAction =
    role !== user.role
      ? 'user.change-role'
      : status === 'DISABLED'
        ? 'user.disable'
        : 'user.enable';
  await updateUserAccess({
    before: user,
    role,
    status,
    now: new Date().toISOString(),
    audit: newAuditEntry({
      actor: options.actor,
      tenantId: user.tenantId,
      action,
      targetType: 'user',
      targetId: user.userId,
      details: {
        email: user.email,
        from: { role: user.role, status: user.status },
        to: { role, status },
      },
    }),
  });
  // Cognito follows the record: future tokens carry the role, and disabled users cannot sign in.
  if (role !== user.role)
    await syncCognito('role', user, () => setCognitoUserRole(user.email, role));
  if (status !== user.status) {
    await syncCognito('status', user, () =>
      setCognitoUserEnabled(user.email, status !== 'DISABLED'),
    );
  }
  logger.info('User updated', { target_user_id: user.userId, role, status });
  return { ...user, role, status };
}

/** Enabling returns a user to ACTIVE, or to INVITED if they never signed in. */
function nextStatus(user: UserRecord, requested: UpdateUserInput['status']): UserRecord['status'] {
  if (requested === undefined) return user.status;
  if (requested === 'DISABLED') return 'DISABLED';
  if (user.status !== 'DISABLED') return user.status;
  return user.activatedAt ? 'ACTIVE' : 'INVITED';
}

/**
 * Deletes a member, or revokes the invitation of one who never signed in. The record goes
 * first and is the authority: it stays as `DELETED` for the ledger, unspent credits return
 * to the pool with a ledger entry, and the API rejects the user from the next request on.
 * The Cognito user is deleted afterwards; one left behind by a failure is removed when the
 * email is invited again.
 */
export async function deleteUser(options: {
  tenantId: string;
  userId: string;
  actor: Actor;
}): Promise<void> {
  const user = await getTenantUser(options);
  const now = new Date().toISOString();
  const isRevocation = user.status === 'INVITED';
  await markUserDeleted({
    before: user,
    now,
    ledgerEntry:
      user.balance > 0
        ? {
            entryId: ulid(),
            tenantId: user.tenantId,
            userId: user.userId,
            type: 'RECLAIM',
            amount: user.balance,
            reason: 'User deleted',
            actorId: options.actor.userId,
            createdAt: now,
          }
        : undefined,
    audit: newAuditEntry({
      actor: options.actor,
      tenantId: user.tenantId,
      action: isRevocation ? 'user.revoke-invitation' : 'user.delete',
      targetType: 'user',
      targetId: user.userId,
      details: { email: user.email, returnedCredits: user.balance },
    }),
  });
  await syncCognito('delete', user, () => deleteCognitoUser(user.email));
  logger.info(isRevocation ? 'Invitation revoked' : 'User deleted', {
    target_user_id: user.userId,
    returned_credits: user.balance,
  });
}

/**
 * Runs a Cognito change that follows a committed record change. The record already decides
 * what the API allows, so a failure here is logged for operators and not returned.
 */
async function syncCognito(
  change: string,
  user: UserRecord,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    logger.error('Cognito did not follow a user change', {
      error: error as Error,
      change,
      target_user_id: user.userId,
    });
  }
}
