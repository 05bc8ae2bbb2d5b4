import type { Context } from 'aws-lambda';
import { systemActor } from '../audit/audit.model';
import { resolveGrantMonth } from '../credits/grant-month';
import { grantMonthlyCredits, type MonthlyGrantResult } from '../credits/monthly-grant.service';
import { logger } from '../lib/logger';
import { JobFailedError, startJobRun } from './job-run';

const JOB_NAME = 'grant-monthly-credits';

/**
 * Scheduled monthly grant (00:05 UTC on the 1st in AWS; `npm run jobs -- grant-monthly`
 * locally): grants every active tenant its plan's monthly credits for the UTC month of the
 * event's `time`, or for the payload's `month` (`YYYY-MM`).
 */
export const handler = async (event: unknown, context: Context): Promise<MonthlyGrantResult> => {
  startJobRun(JOB_NAME, context);
  const month = resolveGrantMonth(event, new Date());
  logger.appendKeys({ month });
  const result = await grantMonthlyCredits({ month, actor: systemActor(context.awsRequestId) });
  logger.info('Monthly grant finished', { ...result });
  if (result.failed > 0) throw new JobFailedError(JOB_NAME, result.failed);
  return result;
};
