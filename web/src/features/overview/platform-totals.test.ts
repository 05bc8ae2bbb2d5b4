import { describe, expect, it } from 'vitest';
import type { Tenant, TenantCredits } from '../../lib/api-client';
import type { TenantUsage } from '../../lib/api-types';
import { sumPlatformTotals, type TenantFigures } from './platform-totals';

function figures(
  name: string,
  status: Tenant['status'],
  credits: Pick<TenantCredits, 'granted' | 'spent'>,
  days: { day: string; calls: number; cost: number }[],
): TenantFigures {
  const usageDays = days.map((day) => ({ ...day, promptTokens: 0, completionTokens: 0 }));
  const cost = days.reduce((sum, day) => sum + day.cost, 0);
  return {
    tenant: {
      tenantId: `tnt_${name}`,
      name,
      planId: 'pln_1',
      status,
      creditLimit: 1_000_000,
      poolBalance: 0,
      seatsUsed: 1,
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    },
    credits: { poolBalance: 0, creditLimit: 1_000_000, allocated: 0, held: 0, ...credits },
    usage: {
      days: usageDays,
      totals: { calls: 0, cost, promptTokens: 0, completionTokens: 0 },
    } as unknown as TenantUsage,
  };
}

describe('sumPlatformTotals', () => {
  const range = { from: '2026-12-01', to: '2026-12-04' };

  it('adds up credits and counts tenants', () => {
    const totals = sumPlatformTotals(
      [
        figures('Acme', 'ACTIVE', { granted: 1_000, spent: 300 }, []),
        figures('Globex', 'SUSPENDED', { granted: 500, spent: 50 }, []),
      ],
      range,
    );

    expect(totals.tenantCount).toBe(2);
    expect(totals.activeCount).toBe(1);
    expect(totals.suspendedCount).toBe(1);
    expect(totals.granted).toBe(1_500);
    expect(totals.spent).toBe(350);
  });

  it('lists every day with summed calls', () => {
    const totals = sumPlatformTotals(
      [
        figures('Acme', 'ACTIVE', { granted: 0, spent: 0 }, [
          { day: '2026-12-02', calls: 3, cost: 30 },
        ]),
        figures('Globex', 'ACTIVE', { granted: 0, spent: 0 }, [
          { day: '2026-12-02', calls: 2, cost: 5 },
          { day: '2026-12-04', calls: 1, cost: 1 },
          { day: '2026-11-30', calls: 9, cost: 90 },
        ]),
      ],
      range,
    );

    expect(totals.callsPerDay).toEqual([
      { day: '2026-12-01', calls: 0, cost: 0 },
      { day: '2026-12-02', calls: 5, cost: 35 },
      { day: '2026-12-03', calls: 0, cost: 0 },
      { day: '2026-12-04', calls: 1, cost: 1 },
    ]);
  });

  it('lists spend only for tenants that spent', () => {
    const totals = sumPlatformTotals(
      [
        figures('Acme', 'ACTIVE', { granted: 0, spent: 0 }, [
          { day: '2026-12-02', calls: 3, cost: 30 },
        ]),
        figures('Idle', 'ACTIVE', { granted: 0, spent: 0 }, []),
      ],
      range,
    );

    expect(totals.spendByTenant).toEqual([{ name: 'Acme', cost: 30 }]);
  });
});
