import type { LedgerEntry } from './ledger.model';

/** A tenant's credits as its ledger entries add them up. */
export interface LedgerTotals {
  granted: number;
  poolBalance: number;
  users: Map<string, { balance: number; held: number; spent: number }>;
}

/**
 * Replays a tenant's ledger entries into the balances they imply:
 * - GRANT adds to the pool and to `granted`;
 * - ALLOCATE moves from the pool to a user, RECLAIM back (a deleted user's return too);
 * - HOLD moves a user's balance into `held`;
 * - SETTLE closes the call's hold: the charge goes to `spent` and the rest of the hold back
 *   to the balance, or, for a charge above the hold, the difference comes from the balance;
 * - RELEASE returns the whole hold;
 * - REQUEST_DENIED moves nothing.
 * A settlement finds its hold by request id, so entries may come in any order.
 */
export function replayLedger(entries: readonly LedgerEntry[]): LedgerTotals {
  const totals: LedgerTotals = { granted: 0, poolBalance: 0, users: new Map() };
  const userOf = (userId: string | undefined) => {
    const key = userId ?? 'unknown';
    let user = totals.users.get(key);
    if (!user) {
      user = { balance: 0, held: 0, spent: 0 };
      totals.users.set(key, user);
    }
    return user;
  };
  const holdAmounts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.type === 'HOLD' && entry.requestId) holdAmounts.set(entry.requestId, entry.amount);
  }

  for (const entry of entries) {
    switch (entry.type) {
      case 'GRANT':
        totals.granted += entry.amount;
        totals.poolBalance += entry.amount;
        break;
      case 'ALLOCATE':
        totals.poolBalance -= entry.amount;
        userOf(entry.userId).balance += entry.amount;
        break;
      case 'RECLAIM':
        totals.poolBalance += entry.amount;
        userOf(entry.userId).balance -= entry.amount;
        break;
      case 'HOLD': {
        const user = userOf(entry.userId);
        user.balance -= entry.amount;
        user.held += entry.amount;
        break;
      }
      case 'SETTLE': {
        const user = userOf(entry.userId);
        const hold = holdAmounts.get(entry.requestId ?? '') ?? entry.amount;
        user.held -= hold;
        user.spent += entry.amount;
        user.balance += hold - entry.amount;
        break;
      }
      case 'RELEASE': {
        const user = userOf(entry.userId);
        user.held -= entry.amount;
        user.balance += entry.amount;
        break;
      }
      case 'REQUEST_DENIED':
        break;
    }
  }
  return totals;
}
