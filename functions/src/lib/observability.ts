import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { isLocalMode } from './env';

/** CloudWatch namespace of the platform's metrics; CDK's alarms and dashboard read it. */
export const METRICS_NAMESPACE = 'Creditgate';

/**
 * Powertools metrics, written as Embedded Metric Format log lines that CloudWatch turns into
 * metrics. Local mode sets `POWERTOOLS_METRICS_DISABLED`, so nothing is written there.
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'creditgate' });

/**
 * Powertools tracer: X-Ray segments for AWS SDK calls and outgoing HTTP requests. It only
 * traces inside Lambda with active tracing, and never in local mode.
 */
export const tracer = new Tracer({ serviceName: 'creditgate', enabled: !isLocalMode() });

/** Adds X-Ray tracing to an AWS SDK client; without tracing the client is unchanged. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}

export { MetricUnit };
