import { SYSTEM_ACTOR_ID } from '../audit/audit.model';
import { isTransactionConflict } from '../lib/db/errors';
import { HOLD_SHARDS } from '../lib/db/keys';
import { logger } from '../lib/logger';
import {
  closeHold,
  type Hold,
  type HoldPageKey,
  isHoldAlreadyClosed,
  listExpiredHolds,
} from './holds.repository';

/** Reason on the RELEASE ledger entry of a hold that the sweeper released. */
export const EXPIRED_HOLD_REASON = 'Hold expired before the call settled';

/** Counts of one sweeper run. */
export interface SweepResult {
  /** Expired holds listed by the index and handled in this run. */
  examined: number;
  released: number;
  /** Holds closed by a settlement or another sweeper after they were listed. */
  alreadyClosed: number;
  /** Holds whose release met a concurrent transaction on the same items; the next run retries. */
  conflicts: number;
  failed: number;
  /** True when the run stopped at `maxHolds`, so expired holds may remain for the next run. */
  isLimitReached: boolean;
}

/**
 * Releases open holds whose `holdExpiresAt` is before `now` (epoch ms): each goes back to
 * its user's balance through `closeHold` with charge 0, which writes a RELEASE ledger entry.
 * `closeHold` requires the hold to be open, so a settlement and the sweeper never both close
 * one. A hold closed in between is skipped and counted. At most `maxHolds` holds are handled
 * per run, read `pageSize` at a time. The run starts at a shard that changes every minute,
 * so a backlog above `maxHolds` cannot keep the same shards waiting run after run.
 */
export async function releaseExpiredHolds(options: {
  now: number;
  pageSize: number;
  maxHolds: number;
}): Promise<SweepResult> {
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
    throw new Error(`pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const result: SweepResult = {
    examined: 0,
    released: 0,
    alreadyClosed: 0,
    conflicts: 0,
    failed: 0,
    isLimitReached: false,
  };
  const firstShard = Math.floor(options.now / 60_000) % HOLD_SHARDS;

  for (let offset = 0; offset < HOLD_SHARDS; offset++) {
    const shard = (firstShard + offset) % HOLD_SHARDS;
    let startKey: HoldPageKey | undefined;
    do {
      const remaining = options.maxHolds - result.examined;
      if (remaining <= 0) {
        result.isLimitReached = true;
        return result;
      }
      const page = await listExpiredHolds({
        shard,
        expiredBefore: options.now,
        limit: Math.min(options.pageSize, remaining),
        startKey,
      });
      for (const hold of page.holds) {
        result.examined++;
        const outcome = await releaseExpiredHold(hold);
        result[outcome]++;
      }
      startKey = page.nextKey;
    } while (startKey);
  }
  return result;
}

type ReleaseOutcome = 'released' | 'alreadyClosed' | 'conflicts' | 'failed';

async function releaseExpiredHold(hold: Hold): Promise<ReleaseOutcome> {
  const ids = { tenant_id: hold.tenantId, user_id: hold.userId, request_id: hold.requestId };
  try {
    await closeHold({
      hold,
      charge: 0,
      entry: {
        tenantId: hold.tenantId,
        userId: hold.userId,
        requestId: hold.requestId,
        model: hold.model,
        reason: EXPIRED_HOLD_REASON,
        actorId: SYSTEM_ACTOR_ID,
        createdAt: new Date().toISOString(),
      },
    });
    logger.info('Expired hold released', {
      ...ids,
      hold_amount: hold.amount,
      hold_expires_at: new Date(hold.holdExpiresAt).toISOString(),
    });
    return 'released';
  } catch (error) {
    if (isHoldAlreadyClosed(error)) {
      logger.info('Expired hold was already closed; skipped', ids);
      return 'alreadyClosed';
    }
    if (isTransactionConflict(error)) {
      logger.warn('Releasing an expired hold met a concurrent change; the next run retries', ids);
      return 'conflicts';
    }
    logger.error('Releasing an expired hold failed; the next run retries', {
      ...ids,
      error: error as Error,
    });
    return 'failed';
  }
}
