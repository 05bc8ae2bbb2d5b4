import type { LedgerEntry } from '../credits/ledger.model';
import { closeHold, type Hold, isBalanceShortForCharge, readBalance } from './holds.repository';

/** Attempts to settle when the balance keeps changing under a charge above the hold. */
const SETTLE_ATTEMPTS = 3;

/**
 * Settles a hold at `cost`. A cost above the hold takes the difference from the balance;
 * when the balance cannot cover it, the charge is what the hold and the balance cover and
 * the rest is recorded as `shortfall`. Returns the amount charged.
 */
export async function settleHold(input: {
  hold: Hold;
  cost: number;
  entry: Omit<LedgerEntry, 'entryId' | 'type' | 'amount' | 'shortfall'>;
}): Promise<number> {
  let charge = input.cost;
  for (let attempt = 1; ; attempt++) {
    try {
      const shortfall = input.cost - charge;
      await closeHold({
        hold: input.hold,
        charge,
        entry: { ...input.entry, ...(shortfall > 0 && { shortfall }) },
      });
      return charge;
    } catch (error) {
      if (!isBalanceShortForCharge(error) || attempt === SETTLE_ATTEMPTS) throw error;
      const balance = await readBalance(input.hold.tenantId, input.hold.userId);
      charge = Math.min(input.cost, input.hold.amount + Math.max(0, balance));
    }
  }
}
