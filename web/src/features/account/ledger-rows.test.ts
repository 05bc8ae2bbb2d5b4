import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../lib/api-types';
import { toLedgerRows } from './ledger-rows';

let nextId = 0;

function entry(fields: Partial<LedgerEntry> & Pick<LedgerEntry, 'type' | 'amount'>): LedgerEntry {
  nextId += 1;
  return {
    entryId: `entry-${nextId}`,
    tenantId: 'tnt_01J00000000000000000000000',
    createdAt: '2026-12-05T10:00:00.000Z',
    actorId: 'user-1',
    userId: 'user-1',
    ...fields,
  };
}

function summary(entries: LedgerEntry[]): string[] {
  return toLedgerRows(entries).map((row) => `${row.label} ${row.credits}`);
}

describe('toLedgerRows', () => {
  it('shows a settled call once, as its cost', () => {
    const hold = entry({ type: 'HOLD', amount: 247, requestId: 'req_1' });
    const settle = entry({ type: 'SETTLE', amount: 3, requestId: 'req_1', released: 244 });

    expect(summary([settle, hold])).toEqual(['AI call −3']);
  });

  it('shows a released call as not charged', () => {
    const hold = entry({ type: 'HOLD', amount: 247, requestId: 'req_2' });
    const release = entry({ type: 'RELEASE', amount: 247, requestId: 'req_2' });

    expect(summary([release, hold])).toEqual(['AI call, not charged 0']);
  });

  it('shows an open hold as held', () => {
    const hold = entry({ type: 'HOLD', amount: 1_500, requestId: 'req_3' });

    expect(summary([hold])).toEqual(['AI call in progress −1,500 held']);
  });

  it('signs allocations and reclaims', () => {
    expect(
      summary([
        entry({ type: 'RECLAIM', amount: 200 }),
        entry({ type: 'ALLOCATE', amount: 1_000 }),
      ]),
    ).toEqual(['Reclaimed −200', 'Allocated to you +1,000']);
  });

  it('marks an estimated cost', () => {
    const settle = entry({ type: 'SETTLE', amount: 5, requestId: 'req_4', isEstimated: true });

    expect(summary([settle])).toEqual(['AI call (cost estimated) −5']);
  });

  it('keeps holds of other calls', () => {
    const openHold = entry({ type: 'HOLD', amount: 10, requestId: 'req_6' });
    const settle = entry({ type: 'SETTLE', amount: 2, requestId: 'req_5' });
    const closedHold = entry({ type: 'HOLD', amount: 9, requestId: 'req_5' });

    expect(summary([openHold, settle, closedHold])).toEqual([
      'AI call in progress −10 held',
      'AI call −2',
    ]);
  });
});
