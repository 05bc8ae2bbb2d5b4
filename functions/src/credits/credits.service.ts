import {
  AppError,
  formatCount,
  type GrantCreditsInput,
  type MoveCreditsInput,
  ulid,
} from '@creditgate/shared';
import { alertIfLow } from '../alerts/low-balance';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import type { IdempotencyCompletion } from '../idempotency/idempotent-request';
import { logger } from '../lib/logger';
import type { TenantRecord } from '../tenants/tenant.model';
import { getTenant } from '../tenants/tenants.repository';
import type { UserRecord } from '../users/user.model';
import { getUser, listAllUsers } from '../users/users.repository';
import { applyGrant, GrantRaceError, moveCredits } from './credits.repository';

/** Attempts of a grant that lost a race with another change of the same tenant. */
const GRANT_ATTEMPTS = 3;

/** A tenant's credit totals, exact at the time of reading. */
export interface TenantCredits {
  poolBalance: number;
  creditLimit: number;
  allocated: number;
  held: number;
  spent: number;
  granted: number;
}

/**
 * Reads a tenant's totals: pool and grants from the tenant record, the rest summed from its
 * user records (bounded by the seat limit). Users can only spend while this runs, and
 * spending moves credits between `allocated`, `held` and `spent` of one user item, which
 * each item read sees whole.
 */
export async function getTenantCredits(tenantId: string): Promise<TenantCredits> {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  const users = await listAllUsers(tenantId);
  const totals = users.reduce(
    (sum, user) => ({
      allocated: sum.allocated + user.balance,
      held: sum.held + user.held,
      spent: sum.spent + user.spent,
    }),
    { allocated: 0, held: 0, spent: 0 },
  );
  return {
    poolBalance: tenant.poolBalance,
    creditLimit: tenant.creditLimit,
    granted: tenant.granted,
    ...totals,
  };
}

/**
 * Grants credits to a tenant pool. Unspent credits (granted minus spent) may not pass the
 * credit limit. Spending only grows, so a `spent` read before the write can only make the
 * check stricter, never let a grant pass the limit.
 */
export async function grantCredits(options: {
  tenantId: string;
  actor: Actor;
  input: GrantCreditsInput;
  idempotency?: IdempotencyCompletion;
}): Promise<{ poolBalance: number; entryId: string }> {
  const { tenantId, actor, input } = options;
  for (let attempt = 1; attempt <= GRANT_ATTEMPTS; attempt++) {
    const credits = await getTenantCredits(tenantId);
    const unspentAfter = credits.granted + input.amount - credits.spent;
    if (unspentAfter > credits.creditLimit) {
      throw new AppError(
        'CREDIT_LIMIT_EXCEEDED',
        `The grant would bring unspent credits to ${formatCount(unspentAfter)}, above the credit limit of ${formatCount(credits.creditLimit)}`,
        { details: { creditLimit: credits.creditLimit, unspent: credits.granted - credits.spent } },
      );
    }
    const entryId = ulid();
    try {
      await applyGrant({
        tenantId,
        amount: input.amount,
        expectedGranted: credits.granted,
        expectedCreditLimit: credits.creditLimit,
        extraItems: options.idempotency
          ? [
              options.idempotency.item({
                entryId,
                amount: input.amount,
                poolBalance: credits.poolBalance + input.amount,
              }),
            ]
          : undefined,
        audit: newAuditEntry({
          actor,
          tenantId,
          action: 'credits.grant',
          targetType: 'tenant',
          targetId: tenantId,
          details: { amount: input.amount, reason: input.reason },
        }),
        entry: {
          entryId,
          tenantId,
          type: 'GRANT',
          amount: input.amount,
          reason: input.reason,
          actorId: actor.userId,
          createdAt: new Date().toISOString(),
        },
      });
      logger.info('Credits granted', { amount: input.amount, entry_id: entryId });
      return { poolBalance: credits.poolBalance + input.amount, entryId };
    } catch (error) {
      if (!(error instanceof GrantRaceError)) throw error;
      if (attempt === GRANT_ATTEMPTS) {
        throw new AppError('CONFLICT', 'The tenant kept changing during the grant; send it again', {
          cause: error,
        });
      }
      logger.info('Grant raced another tenant change; retrying', { attempt });
    }
  }
  throw new Error('unreachable');
}

/** Allocates credits from the pool to a user, or reclaims them back to the pool. */
export async function moveUserCredits(options: {
  tenantId: string;
  userId: string;
  actor: Actor;
  input: MoveCreditsInput;
  idempotency?: IdempotencyCompletion;
}): Promise<{ userBalance: number; poolBalance: number }> {
  const { tenantId, userId, actor, input } = options;
  const entryId = ulid();
  await moveCredits({
    extraItems: options.idempotency
      ? [options.idempotency.item({ entryId, operation: input.operation, amount: input.amount })]
      : undefined,
    tenantId,
    userId,
    operation: input.operation,
    amount: input.amount,
    audit: newAuditEntry({
      actor,
      tenantId,
      action: input.operation === 'allocate' ? 'credits.allocate' : 'credits.reclaim',
      targetType: 'user',
      targetId: userId,
      details: { amount: input.amount },
    }),
    entry: {
      entryId,
      tenantId,
      userId,
      type: input.operation === 'allocate' ? 'ALLOCATE' : 'RECLAIM',
      amount: input.amount,
      actorId: actor.userId,
      createdAt: new Date().toISOString(),
    },
  });
  logger.info('Credits moved', {
    operation: input.operation,
    amount: input.amount,
    target_user_id: userId,
  });
  const [user, tenant] = await Promise.all([getUser(tenantId, userId), getTenant(tenantId)]);
  await alertAfterMove(tenant, user, input.operation);
  return { userBalance: user?.balance ?? 0, poolBalance: tenant?.poolBalance ?? 0 };
}

/** Checks the balance a move lowered against its alert threshold: the pool or the user's. */
export async function alertAfterMove(
  tenant: TenantRecord | undefined,
  user: UserRecord | undefined,
  operation: 'allocate' | 'reclaim',
): Promise<void> {
  if (!tenant) return;
  if (operation === 'allocate') {
    await alertIfLow(tenant.tenantId, tenant.alerts, { kind: 'pool', balance: tenant.poolBalance });
  } else if (user) {
    await alertIfLow(tenant.tenantId, tenant.alerts, {
      kind: 'user',
      userId: user.userId,
      email: user.email,
      balance: user.balance,
    });
  }
}

/** Reads the balances an allocation or reclaim returns. */
export async function readMoveBalances(options: {
  tenantId: string;
  userId: string;
}): Promise<{ userBalance: number; poolBalance: number }> {
  const [user, tenant] = await Promise.all([
    getUser(options.tenantId, options.userId),
    getTenant(options.tenantId),
  ]);
  return { userBalance: user?.balance ?? 0, poolBalance: tenant?.poolBalance ?? 0 };
}
