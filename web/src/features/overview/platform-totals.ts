import type { Tenant, TenantCredits } from '../../lib/api-client';
import type { TenantUsage } from '../../lib/api-types';
import { listDays } from '../../lib/dates';

/** One tenant's figures that the platform overview adds up. */
export interface TenantFigures {
  tenant: Tenant;
  credits: TenantCredits;
  usage: TenantUsage;
}

export interface PlatformTotals {
  tenantCount: number;
  activeCount: number;
  suspendedCount: number;
  granted: number;
  spent: number;
  /** AI calls on each day of the range, days without calls included. */
  callsPerDay: { day: string; calls: number; cost: number }[];
  /** Credits spent in the range, per tenant name. */
  spendByTenant: { name: string; cost: number }[];
}

/** Adds up the figures of every tenant, and lists each day from `from` to `to`. */
export function sumPlatformTotals(
  figures: TenantFigures[],
  range: { from: string; to: string },
): PlatformTotals {
  const byDay = new Map(listDays(range.from, range.to).map((day) => [day, { calls: 0, cost: 0 }]));
  for (const { usage } of figures) {
    for (const day of usage.days) {
      const total = byDay.get(day.day);
      if (!total) continue;
      total.calls += day.calls;
      total.cost += day.cost;
    }
  }
  return {
    tenantCount: figures.length,
    activeCount: figures.filter(({ tenant }) => tenant.status === 'ACTIVE').length,
    suspendedCount: figures.filter(({ tenant }) => tenant.status === 'SUSPENDED').length,
    granted: figures.reduce((sum, { credits }) => sum + credits.granted, 0),
    spent: figures.reduce((sum, { credits }) => sum + credits.spent, 0),
    callsPerDay: [...byDay.entries()].map(([day, total]) => ({ day, ...total })),
    spendByTenant: figures
      .map(({ tenant, usage }) => ({ name: tenant.name, cost: usage.totals.cost }))
      .filter((entry) => entry.cost > 0),
  };
}
