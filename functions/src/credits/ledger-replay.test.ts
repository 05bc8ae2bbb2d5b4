import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from './ledger.model';
import { replayLedger } from './ledger-replay';

const base = { tenantId: 'tnt_x', actorId: 'actor', createdAt: '2026-12-01T00:00:00.000Z' };
let sequence = 0;
const entry = (
  fields: Partial<LedgerEntry> & Pick<LedgerEntry, 'type' | 'amount'>,
): LedgerEntry => ({
  ...base,
  entryId: `e${sequence++}`,
  ...fields,
});

describe('replayLedger', () => {
  it('adds grants and moves', () => {
    const totals = replayLedger([
      entry({ type: 'GRANT', amount: 1_000 }),
      entry({ type: 'ALLOCATE', amount: 300, userId: 'u1' }),
      entry({ type: 'RECLAIM', amount: 100, userId: 'u1' }),
    ]);

    expect(totals.granted).toBe(1_000);
    expect(totals.poolBalance).toBe(800);
    expect(totals.users.get('u1')).toEqual({ balance: 200, held: 0, spent: 0 });
  });

  it('settles a call below its hold', () => {
    const totals = replayLedger([
      entry({ type: 'ALLOCATE', amount: 100, userId: 'u1' }),
      entry({ type: 'SETTLE', amount: 7, released: 13, userId: 'u1', requestId: 'r1' }),
      entry({ type: 'HOLD', amount: 20, userId: 'u1', requestId: 'r1' }),
    ]);

    expect(totals.users.get('u1')).toEqual({ balance: 93, held: 0, spent: 7 });
  });

  it('settles a call above its hold', () => {
    const totals = replayLedger([
      entry({ type: 'ALLOCATE', amount: 10, userId: 'u1' }),
      entry({ type: 'HOLD', amount: 4, userId: 'u1', requestId: 'r1' }),
      entry({
        type: 'SETTLE',
        amount: 10,
        released: 0,
        shortfall: 230,
        userId: 'u1',
        requestId: 'r1',
      }),
    ]);

    expect(totals.users.get('u1')).toEqual({ balance: 0, held: 0, spent: 10 });
  });

  it('keeps an open hold held', () => {
    const totals = replayLedger([
      entry({ type: 'ALLOCATE', amount: 50, userId: 'u1' }),
      entry({ type: 'HOLD', amount: 20, userId: 'u1', requestId: 'r1' }),
      entry({ type: 'HOLD', amount: 5, userId: 'u1', requestId: 'r2' }),
      entry({ type: 'RELEASE', amount: 5, userId: 'u1', requestId: 'r2' }),
    ]);

    expect(totals.users.get('u1')).toEqual({ balance: 30, held: 20, spent: 0 });
  });
});
