import type { Context } from 'aws-lambda';
import { systemActor } from '../audit/audit.model';
import { type RevocationResult, revokeReplacedKeys } from '../keys/key-revocation.service';
import { integerEnv } from '../lib/env';
import { logger } from '../lib/logger';
import { JobFailedError, startJobRun } from './job-run';

const JOB_NAME = 'revoke-previous-platform-key';

/**
 * Scheduled job (every 15 minutes in AWS; `npm run jobs -- revoke-previous-key` locally):
 * revokes platform keys minted through the Admin API once they are no longer current and
 * `KEY_REVOKE_GRACE_MINUTES` (default 60) have passed since the rotation that replaced
 * them. Function instances cache the key for 60 s by default (`AI_KEY_CACHE_SECONDS`), so
 * none still uses it then. The event's content is not used.
 */
export const handler = async (_event: unknown, context: Context): Promise<RevocationResult> => {
  startJobRun(JOB_NAME, context);
  const result = await revokeReplacedKeys({
    now: Date.now(),
    graceMinutes: integerEnv('KEY_REVOKE_GRACE_MINUTES', 60),
    actor: systemActor(context.awsRequestId),
  });
  logger.info('Replaced platform key check finished', { ...result });
  if (result.failed > 0) throw new JobFailedError(JOB_NAME, result.failed);
  return result;
};
