import type { Context } from 'aws-lambda';
import { integerEnv } from '../lib/env';
import { logger } from '../lib/logger';

/**
 * Raised at the end of a job run that skipped items after errors. Lambda then reports the
 * invocation as failed (the `Errors` metric) and retries the asynchronous call. A retry is
 * safe because each job writes only under a condition that an item can pass once: a hold
 * that is still open, or a month without a record.
 */
export class JobFailedError extends Error {
  constructor(job: string, failed: number) {
    super(`${job}: ${failed} item(s) failed; see the error log lines of this run`);
    this.name = 'JobFailedError';
  }
}

/** Sets the log keys of one job run: the job name and the invocation id as correlation id. */
export function startJobRun(job: string, context: Context): void {
  logger.resetKeys();
  logger.addContext(context);
  logger.appendKeys({ correlation_id: context.awsRequestId, job });
  logger.info('Job started');
}

/** Reads a job setting that must be at least 1, with its default when unset. */
export function positiveIntegerEnv(name: string, defaultValue: number): number {
  const value = integerEnv(name, defaultValue);
  if (value < 1) throw new Error(`Environment variable ${name} must be at least 1, got ${value}`);
  return value;
}
