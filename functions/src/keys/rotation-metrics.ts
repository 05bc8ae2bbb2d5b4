import type { KeyRotationFailure } from '@creditgate/shared';
import { logger } from '../lib/logger';

/** CloudWatch namespace and name of the metric that the key rotation alarm watches. */
export const METRICS_NAMESPACE = 'Creditgate';
export const ROTATION_FAILED_METRIC = 'RotationFailed';

/**
 * Builds the fields that turn a log line into an Embedded Metric Format record: one
 * `RotationFailed` count under the `service` dimension. The logger writes `service` on every
 * line (`creditgate`), so the metric's dimension value comes from there.
 */
export function rotationFailedMetricFields(
  step: KeyRotationFailure['step'],
  timestamp: number,
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['service']],
          Metrics: [{ Name: ROTATION_FAILED_METRIC, Unit: 'Count' }],
        },
      ],
    },
    [ROTATION_FAILED_METRIC]: 1,
    rotation_step: step,
  };
}

/**
 * Logs a failed key rotation or revocation step as an error line that CloudWatch Logs also
 * reads as one `RotationFailed` data point. `message` must not contain any part of a key.
 */
export function logRotationFailure(failure: KeyRotationFailure, ids: Record<string, unknown>) {
  logger.error('Platform key rotation step failed', {
    ...ids,
    failure_message: failure.message,
    ...rotationFailedMetricFields(failure.step, Date.parse(failure.at)),
  });
}
