/**
 * Kinds of ledger entries. Each moves credits between the tenant pool, user balances,
 * holds and spent credits:
 * - GRANT: into the pool; ALLOCATE: pool to a user; RECLAIM: a user back to the pool;
 * - HOLD: a user's balance into a hold; SETTLE: a hold into spent, the rest back to the
 *   balance; RELEASE: a whole hold back to the balance;
 * - REQUEST_DENIED: a denied credit request; it moves nothing, and `amount` is what was asked.
 *   An approved request is an ALLOCATE entry that names the request.
 */
export const ledgerEntryTypes = [
  'GRANT',
  'ALLOCATE',
  'RECLAIM',
  'HOLD',
  'SETTLE',
  'RELEASE',
  'REQUEST_DENIED',
] as const;
export type LedgerEntryType = (typeof ledgerEntryTypes)[number];

export interface LedgerEntry {
  entryId: string;
  tenantId: string;
  type: LedgerEntryType;
  /** Credits moved, always positive; SETTLE entries also carry `released`. */
  amount: number;
  createdAt: string;
  actorId: string;
  userId?: string;
  requestId?: string;
  reason?: string;
  model?: string;
  usage?: { promptTokens: number; cachedPromptTokens: number; completionTokens: number };
  /** Part of the hold returned to the balance by a SETTLE. */
  released?: number;
  /** Cost not charged because the balance could not cover it. */
  shortfall?: number;
  /** True when upstream reported no usage and the cost was estimated from the text. */
  isEstimated?: boolean;
  /** Credits a monthly grant asked for when the credit limit cut it to `amount`. */
  requested?: number;
  /** Key that served the AI call of a SETTLE entry: the platform's or the tenant's own. */
  keySource?: 'platform' | 'tenant';
  /** The credit request an ALLOCATE or REQUEST_DENIED entry decided. */
  creditRequestId?: string;
}

export function toLedgerView(entry: LedgerEntry): LedgerEntry {
  const { entryId, tenantId, type, amount, createdAt, actorId } = entry;
  return {
    entryId,
    tenantId,
    type,
    amount,
    createdAt,
    actorId,
    ...(entry.userId && { userId: entry.userId }),
    ...(entry.requestId && { requestId: entry.requestId }),
    ...(entry.reason && { reason: entry.reason }),
    ...(entry.model && { model: entry.model }),
    ...(entry.usage && { usage: entry.usage }),
    ...(entry.released !== undefined && { released: entry.released }),
    ...(entry.shortfall !== undefined && { shortfall: entry.shortfall }),
    ...(entry.isEstimated !== undefined && { isEstimated: entry.isEstimated }),
    ...(entry.requested !== undefined && { requested: entry.requested }),
    ...(entry.keySource && { keySource: entry.keySource }),
    ...(entry.creditRequestId && { creditRequestId: entry.creditRequestId }),
  };
}
