import type { TenantStatus } from '@creditgate/shared';
import { getTenantCredits } from '../credits/credits.service';
import { listAllTenants } from '../tenants/tenants.repository';
import { listDailyUsage } from '../usage/usage.repository';
import { addDays } from '../usage/usage.service';

/** Tenants whose figures are read at the same time. */
const CONCURRENCY = 8;

/** Number of tenants in the spend ranking. The others count in the totals only. */
const TOP_TENANTS = 10;

/**
 * Platform-wide figures for the SuperAdmins' overview: tenants by status, credit totals
 * exact at the time of reading, and AI calls and credits spent per UTC day. Each tenant's
 * figures come from its own partition (its credits and its daily usage items). So nothing
 * platform-wide is written on the call path, and the reads grow with tenants times days.
 */
export async function getPlatformOverview(options: { days: number; today: string }) {
  const from = addDays(options.today, -(options.days - 1));
  const tenants = await listAllTenants();
  const figures = await mapLimited(tenants, CONCURRENCY, async (tenant) => {
    const [credits, usage] = await Promise.all([
      getTenantCredits(tenant.tenantId),
      listDailyUsage(tenant.tenantId, from, options.today),
    ]);
    return { tenant, credits, usage };
  });

  const byDay = new Map<string, { calls: number; cost: number }>();
  for (let day = from; day <= options.today; day = addDays(day, 1)) {
    byDay.set(day, { calls: 0, cost: 0 });
  }
  const credits = { granted: 0, poolBalance: 0, allocated: 0, held: 0, spent: 0 };
  const spendByTenant: { tenantId: string; name: string; cost: number }[] = [];
  for (const { tenant, credits: tenantCredits, usage } of figures) {
    for (const field of Object.keys(credits) as (keyof typeof credits)[]) {
      credits[field] += tenantCredits[field];
    }
    let cost = 0;
    for (const item of usage) {
      const day = byDay.get(item.day);
      if (day) {
        day.calls += item.calls;
        day.cost += item.cost;
      }
      cost += item.cost;
    }
    if (cost > 0) spendByTenant.push({ tenantId: tenant.tenantId, name: tenant.name, cost });
  }
  const countOf = (status: TenantStatus) =>
    tenants.filter((tenant) => tenant.status === status).length;
  return {
    from,
    to: options.today,
    tenants: { total: tenants.length, active: countOf('ACTIVE'), suspended: countOf('SUSPENDED') },
    credits,
    callsPerDay: [...byDay.entries()].map(([day, total]) => ({ day, ...total })),
    topTenants: spendByTenant.sort((a, b) => b.cost - a.cost).slice(0, TOP_TENANTS),
  };
}

/** Maps `items` with at most `limit` calls of `map` running at once, keeping the order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
