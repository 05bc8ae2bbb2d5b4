import { AppError } from '@creditgate/shared';
import { type Hold, listOpenHolds } from '../ai/holds.repository';
import { logger } from '../lib/logger';
import type { TenantRecord } from '../tenants/tenant.model';
import { getTenant, listAllTenants } from '../tenants/tenants.repository';
import type { UserRecord } from '../users/user.model';
import { listAllUsers } from '../users/users.repository';
import type { LedgerEntry } from './ledger.model';
import { listTenantLedger } from './ledger.repository';
import { type LedgerTotals, replayLedger } from './ledger-replay';

/** Tenants checked at the same time when every tenant is checked. */
const TENANT_CONCURRENCY = 8;

/** One failed check of a tenant's credits. */
export interface LedgerProblem {
  /**
   * - `invariant`: `poolBalance + allocated + held + spent` differs from `granted`;
   * - `open-holds`: the tenant's open holds do not add up to its users' `held`;
   * - `user-open-holds`: one user's open holds do not add up to that user's `held`;
   * - `ledger-granted`, `ledger-pool`: the tenant's ledger entries add up to another
   *   `granted` or pool balance than the tenant record holds;
   * - `ledger-user`: a user's ledger entries add up to another balance, `held` or `spent`.
   */
  check:
    | 'invariant'
    | 'open-holds'
    | 'user-open-holds'
    | 'ledger-granted'
    | 'ledger-pool'
    | 'ledger-user';
  message: string;
  /** The first side of the check minus the second, as the message states them. */
  difference: number;
  userId?: string;
}

/** The result for one tenant; `openHolds` is the sum of its open holds' amounts. */
export interface TenantLedgerReport {
  tenantId: string;
  ok: boolean;
  granted: number;
  poolBalance: number;
  allocated: number;
  held: number;
  spent: number;
  openHolds: number;
  problems: LedgerProblem[];
}

export interface LedgerVerification {
  checkedAt: string;
  tenants: TenantLedgerReport[];
}

/**
 * Checks the credits of one tenant, or of every tenant: `granted = poolBalance + allocated +
 * held + spent` from the tenant record and its user records; that the open holds in the
 * hold index add up to `held`, per tenant and per user; and that replaying the ledger gives
 * the same pool, grants and user balances as the records. The reads are not one snapshot, so a
 * call or an allocation that runs between them can make a sound tenant look wrong; a tenant
 * that fails is therefore read and checked once more, and only the second result is
 * reported. Read-only.
 */
export async function verifyLedger(options: { tenantId?: string }): Promise<LedgerVerification> {
  const checkedAt = new Date().toISOString();
  let tenantIds: string[];
  if (options.tenantId) {
    if (!(await getTenant(options.tenantId))) throw new AppError('NOT_FOUND', 'Tenant not found');
    tenantIds = [options.tenantId];
  } else {
    tenantIds = (await listAllTenants()).map((tenant) => tenant.tenantId);
  }
  const openHolds = groupByTenant(await listOpenHolds(options.tenantId));

  // NOTE: every tenant is checked within one API request, which times out after 28 s. That
  // bounds how many tenants one call can check, so large platforms pass `tenantId`.
  const tenants: TenantLedgerReport[] = [];
  for (let start = 0; start < tenantIds.length; start += TENANT_CONCURRENCY) {
    const batch = tenantIds.slice(start, start + TENANT_CONCURRENCY);
    tenants.push(
      ...(await Promise.all(
        batch.map((tenantId) => verifyTenant(tenantId, openHolds.get(tenantId) ?? [])),
      )),
    );
  }
  const failing = tenants.filter((tenant) => !tenant.ok).map((tenant) => tenant.tenantId);
  if (failing.length > 0) {
    logger.warn('Ledger verification found problems', { tenant_ids: failing });
  }
  logger.info('Ledger verification finished', {
    tenants: tenants.length,
    failing: failing.length,
  });
  return { checkedAt, tenants };
}

async function verifyTenant(tenantId: string, openHolds: Hold[]): Promise<TenantLedgerReport> {
  const first = await checkTenant(tenantId, openHolds);
  if (first.ok) return first;
  logger.info('Ledger check failed once; checking the tenant again', { tenant_id: tenantId });
  return checkTenant(tenantId, await listOpenHolds(tenantId));
}

async function checkTenant(tenantId: string, openHolds: Hold[]): Promise<TenantLedgerReport> {
  const [tenant, users, entries] = await Promise.all([
    getTenant(tenantId),
    listAllUsers(tenantId),
    listAllLedgerEntries(tenantId),
  ]);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');

  const totals = { allocated: 0, held: 0, spent: 0 };
  for (const user of users) {
    totals.allocated += user.balance;
    totals.held += user.held;
    totals.spent += user.spent;
  }
  const openHoldTotal = sum(openHolds.map((hold) => hold.amount));
  const problems: LedgerProblem[] = [];

  const accounted = tenant.poolBalance + totals.allocated + totals.held + totals.spent;
  if (accounted !== tenant.granted) {
    problems.push({
      check: 'invariant',
      message: `poolBalance + allocated + held + spent is ${accounted}, but granted is ${tenant.granted} (difference ${accounted - tenant.granted})`,
      difference: accounted - tenant.granted,
    });
  }
  if (openHoldTotal !== totals.held) {
    problems.push({
      check: 'open-holds',
      message: `Users' held credits add up to ${totals.held}, but open holds add up to ${openHoldTotal} (difference ${totals.held - openHoldTotal})`,
      difference: totals.held - openHoldTotal,
    });
  }
  // Maps keep this linear, because a plan may allow tens of thousands of seats.
  const heldByUser = new Map(users.map((user) => [user.userId, user.held]));
  const openHoldsByUser = new Map<string, number>();
  for (const hold of openHolds) {
    openHoldsByUser.set(hold.userId, (openHoldsByUser.get(hold.userId) ?? 0) + hold.amount);
  }
  for (const userId of new Set([...heldByUser.keys(), ...openHoldsByUser.keys()])) {
    const held = heldByUser.get(userId) ?? 0;
    const userHolds = openHoldsByUser.get(userId) ?? 0;
    if (held !== userHolds) {
      problems.push({
        check: 'user-open-holds',
        message: `User ${userId} has held ${held}, but their open holds add up to ${userHolds} (difference ${held - userHolds})`,
        difference: held - userHolds,
        userId,
      });
    }
  }

  problems.push(...compareWithLedger(tenant, users, replayLedger(entries)));

  return {
    tenantId,
    ok: problems.length === 0,
    granted: tenant.granted,
    poolBalance: tenant.poolBalance,
    ...totals,
    openHolds: openHoldTotal,
    problems,
  };
}

/**
 * Recomputes the tenant's pool, grants and every user's balance, `held` and `spent` from
 * the ledger, and reports each figure that differs from the records.
 */
function compareWithLedger(
  tenant: TenantRecord,
  users: UserRecord[],
  ledger: LedgerTotals,
): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  if (ledger.granted !== tenant.granted) {
    problems.push({
      check: 'ledger-granted',
      message: `The ledger's grants add up to ${ledger.granted}, but the tenant shows granted ${tenant.granted} (difference ${ledger.granted - tenant.granted})`,
      difference: ledger.granted - tenant.granted,
    });
  }
  if (ledger.poolBalance !== tenant.poolBalance) {
    problems.push({
      check: 'ledger-pool',
      message: `The ledger gives a pool of ${ledger.poolBalance}, but the tenant shows ${tenant.poolBalance} (difference ${ledger.poolBalance - tenant.poolBalance})`,
      difference: ledger.poolBalance - tenant.poolBalance,
    });
  }
  const records = new Map(users.map((user) => [user.userId, user]));
  for (const userId of new Set([...records.keys(), ...ledger.users.keys()])) {
    const record = records.get(userId);
    const expected = ledger.users.get(userId) ?? { balance: 0, held: 0, spent: 0 };
    for (const field of ['balance', 'held', 'spent'] as const) {
      const actual = record?.[field] ?? 0;
      if (expected[field] === actual) continue;
      problems.push({
        check: 'ledger-user',
        message: `User ${userId}: the ledger gives ${field} ${expected[field]}, but the record shows ${actual} (difference ${expected[field] - actual})`,
        difference: expected[field] - actual,
        userId,
      });
    }
  }
  return problems;
}

async function listAllLedgerEntries(tenantId: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTenantLedger(tenantId, { limit: 100, cursor });
    entries.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return entries;
}

function groupByTenant(holds: Hold[]): Map<string, Hold[]> {
  const byTenant = new Map<string, Hold[]>();
  for (const hold of holds) {
    const tenantHolds = byTenant.get(hold.tenantId);
    if (tenantHolds) tenantHolds.push(hold);
    else byTenant.set(hold.tenantId, [hold]);
  }
  return byTenant;
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
