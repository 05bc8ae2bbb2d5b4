import { AppError } from '@creditgate/shared';
import { getTenant } from '../tenants/tenants.repository';
import { listAllUsers } from '../users/users.repository';
import { type DailyUsage, listDailyUsage } from './usage.repository';

/** Days over which burn rates are measured. */
const BURN_RATE_DAYS = 7;

interface Totals {
  calls: number;
  cost: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * A tenant's usage between two UTC days, by day, user and model, with burn rates: the
 * average credits spent per day over the last 7 days, and the day the pool and each user's
 * balance would run out at that rate.
 */
export async function getTenantUsage(options: {
  tenantId: string;
  from: string;
  to: string;
  today: string;
}) {
  const tenant = await getTenant(options.tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  const burnFrom = addDays(options.today, -(BURN_RATE_DAYS - 1));
  const rangeStart = [burnFrom, options.from].sort()[0] as string;
  const [usage, users] = await Promise.all([
    listDailyUsage(options.tenantId, rangeStart, [options.to, options.today].sort()[1] as string),
    listAllUsers(options.tenantId),
  ]);
  const inRange = usage.filter((item) => item.day >= options.from && item.day <= options.to);
  const recent = usage.filter((item) => item.day >= burnFrom && item.day <= options.today);

  const poolBurn = sumOf(recent).cost / BURN_RATE_DAYS;
  const allocated = users.reduce((sum, user) => sum + user.balance, 0);
  return {
    from: options.from,
    to: options.to,
    totals: sumOf(inRange),
    days: groupBy(inRange, (item) => item.day, 'day'),
    users: groupBy(inRange, (item) => item.userId, 'userId'),
    models: groupBy(inRange, (item) => item.model, 'model'),
    burnRate: {
      days: BURN_RATE_DAYS,
      creditsPerDay: round(poolBurn),
      // Credits still to spend: the pool and what users hold.
      runsOutOn: runOutDay(tenant.poolBalance + allocated, poolBurn, options.today),
      users: users
        .filter((user) => user.status !== 'DELETED')
        .map((user) => {
          const burn =
            sumOf(recent.filter((item) => item.userId === user.userId)).cost / BURN_RATE_DAYS;
          return {
            userId: user.userId,
            balance: user.balance,
            creditsPerDay: round(burn),
            runsOutOn: runOutDay(user.balance, burn, options.today),
          };
        }),
    },
  };
}

function sumOf(items: DailyUsage[]): Totals {
  return items.reduce(
    (sum, item) => ({
      calls: sum.calls + item.calls,
      cost: sum.cost + item.cost,
      promptTokens: sum.promptTokens + item.promptTokens,
      completionTokens: sum.completionTokens + item.completionTokens,
    }),
    { calls: 0, cost: 0, promptTokens: 0, completionTokens: 0 },
  );
}

function groupBy<K extends string>(
  items: DailyUsage[],
  keyOf: (item: DailyUsage) => string,
  name: K,
) {
  const groups = new Map<string, DailyUsage[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, group]) => ({ [name]: key, ...sumOf(group) }) as Record<K, string> & Totals);
}

/** Returns the UTC day the balance is spent at `perDay`, or null when nothing is spent. */
function runOutDay(balance: number, perDay: number, today: string): string | null {
  if (perDay <= 0) return null;
  return addDays(today, Math.floor(balance / perDay));
}

/** Returns the UTC day `count` days after `day` (`yyyy-mm-dd`); `count` may be negative. */
export function addDays(day: string, count: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * 86_400_000).toISOString().slice(0, 10);
}

const round = (value: number): number => Math.round(value * 100) / 100;
