import type { Context } from 'aws-lambda';
import { releaseExpiredHolds, type SweepResult } from '../ai/holds.service';
import { logger } from '../lib/logger';
import { JobFailedError, positiveIntegerEnv, startJobRun } from './job-run';

const JOB_NAME = 'release-expired-holds';

/**
 * Scheduled hold sweeper (every 5 minutes in AWS; `npm run jobs -- release-holds` locally):
 * releases open holds past their `holdExpiresAt`, such as those of a call whose function
 * stopped between hold and settlement. The event's content is not used.
 */
export const handler = async (_event: unknown, context: Context): Promise<SweepResult> => {
  startJobRun(JOB_NAME, context);
  const result = await releaseExpiredHolds({
    now: Date.now(),
    pageSize: positiveIntegerEnv('HOLD_SWEEP_PAGE_SIZE', 100),
    maxHolds: positiveIntegerEnv('HOLD_SWEEP_MAX_HOLDS', 1_000),
  });
  if (result.isLimitReached) {
    logger.warn('Hold sweep stopped at its maximum; the next run continues', { ...result });
  } else {
    logger.info('Hold sweep finished', { ...result });
  }
  if (result.failed > 0) throw new JobFailedError(JOB_NAME, result.failed);
  return result;
};
