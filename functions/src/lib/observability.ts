import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { isLocalMode } from './env';

/** CloudWatch namespace of the platform's metrics; CDK's alarms and dashboard read it. */
export const METRICS_NAMESPACE = 'Creditgate';

/**
 * Powertools metrics, written as Embedded Metric Format log lines that CloudWatch turns into
 * metrics. Local mode sets `POWERTOOLS_METRICS_DISABLED`, so nothing is written there.
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'creditgate' });

/**
 * Powertools tracer: X-Ray segments for AWS SDK calls and outgoing HTTP requests, or
 * undefined where tracing is off. Loading the X-Ray SDK turns on async hooks that run for
 * every promise of the process, so it is loaded only where tracing is on: in AWS, in
 * functions whose `POWERTOOLS_TRACE_ENABLED` is not `false`. The AI functions set it to
 * `false` (see docs/architecture.md, "Tracing").
 */
export const tracer: Tracer | undefined =
  !isLocalMode() && process.env.POWERTOOLS_TRACE_ENABLED !== 'false'
    ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: 'creditgate' })
    : undefined;

/** Adds X-Ray tracing to an AWS SDK client; without a tracer the client is unchanged. */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

export { MetricUnit };
