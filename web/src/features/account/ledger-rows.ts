import type { LedgerEntry } from '../../lib/api-types';
import { formatCredits } from '../../lib/format';

/** One row of a member's ledger as the console shows it. */
export interface LedgerRow {
  entry: LedgerEntry;
  label: string;
  /** The change to the member's balance, signed, such as `−12` or `+1,000`. */
  credits: string;
}

/**
 * Turns a member's ledger entries (newest first) into rows that show what each movement did
 * to the balance. An AI call writes a HOLD of its estimate and then a SETTLE of its cost or
 * a RELEASE, so a call whose closing entry is in the list shows once, as its cost. A HOLD
 * without one is a call still running, or one whose closing entry is on a newer page.
 */
export function toLedgerRows(entries: LedgerEntry[]): LedgerRow[] {
  const closed = new Set(
    entries
      .filter((entry) => entry.type === 'SETTLE' || entry.type === 'RELEASE')
      .map((entry) => entry.requestId),
  );
  const rows: LedgerRow[] = [];
  for (const entry of entries) {
    if (entry.type === 'HOLD' && closed.has(entry.requestId)) continue;
    rows.push({ entry, ...describe(entry) });
  }
  return rows;
}

function describe(entry: LedgerEntry): { label: string; credits: string } {
  const amount = formatCredits(entry.amount);
  switch (entry.type) {
    case 'GRANT':
      return { label: 'Grant', credits: `+${amount}` };
    case 'ALLOCATE':
      return { label: 'Allocated to you', credits: `+${amount}` };
    case 'RECLAIM':
      return { label: 'Reclaimed', credits: `−${amount}` };
    case 'HOLD':
      return { label: 'AI call in progress', credits: `−${amount} held` };
    case 'SETTLE':
      return {
        label: entry.isEstimated ? 'AI call (cost estimated)' : 'AI call',
        credits: entry.amount === 0 ? '0' : `−${amount}`,
      };
    case 'RELEASE':
      return { label: 'AI call, not charged', credits: '0' };
  }
}
