import { tableLayout } from '@creditgate/shared';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  type Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { type CreditgateFunction, METRICS_NAMESPACE } from './creditgate-function';
import type { Jobs } from './jobs';
import type { PlatformKey } from './platform-key';

/**
 * A platform metric derived from the handlers' structured log lines by a CloudWatch Logs
 * metric filter. `message` is the exact Powertools log message the filter matches, and the
 * template tests check that the handler sources still log it.
 */
export interface LogMetricDefinition {
  /** CloudWatch metric name in the `Creditgate` namespace. */
  readonly metricName: string;
  /** Log messages, each matched exactly against the line's `message` field. */
  readonly messages: readonly string[];
  /** Handler modules whose log groups the filter reads. */
  readonly handlers: readonly string[];
  /** Source files under `functions/src` that log the messages. */
  readonly sourceFiles: readonly string[];
  /** JSON field whose value is the metric value, such as `$.cost`; else 1 per line. */
  readonly value?: string;
  /** Metric dimensions taken from JSON fields, such as `{ reason: '$.error_code' }`. */
  readonly dimensions?: Record<string, string>;
}

const AI_HANDLERS = ['ai/chat-completions', 'ai/embeddings'];

/** The metrics that the log metric filters derive, one filter per definition and handler. */
export const LOG_METRICS: readonly LogMetricDefinition[] = [
  {
    metricName: 'AiCalls',
    messages: ['Hold settled', 'Embeddings settled'],
    handlers: AI_HANDLERS,
    sourceFiles: ['ai/chat-completions.service.ts', 'ai/embeddings.service.ts'],
  },
  {
    metricName: 'CreditsSpent',
    messages: ['Hold settled', 'Embeddings settled'],
    handlers: AI_HANDLERS,
    sourceFiles: ['ai/chat-completions.service.ts', 'ai/embeddings.service.ts'],
    value: '$.cost',
  },
  {
    metricName: 'AiRefusals',
    messages: ['AI call rejected', 'Embeddings call rejected'],
    handlers: AI_HANDLERS,
    sourceFiles: ['ai/chat-completions.service.ts', 'ai/embeddings.handler.ts'],
    dimensions: { reason: '$.error_code' },
  },
  {
    metricName: 'UpstreamErrors',
    messages: ['Upstream returned an error status', 'Upstream stream failed'],
    handlers: AI_HANDLERS,
    sourceFiles: ['ai/upstream-key.ts', 'ai/chat-completions.service.ts'],
  },
  {
    metricName: 'ExpiredHoldsReleased',
    messages: ['Hold sweep finished', 'Hold sweep stopped at its maximum; the next run continues'],
    handlers: ['jobs/release-expired-holds'],
    // The handler logs the sweep result, whose fields the hold service defines.
    sourceFiles: ['jobs/release-expired-holds.handler.ts', 'ai/holds.service.ts'],
    value: '$.released',
  },
  {
    metricName: 'HoldSweepLimitReached',
    messages: ['Hold sweep stopped at its maximum; the next run continues'],
    handlers: ['jobs/release-expired-holds'],
    sourceFiles: ['jobs/release-expired-holds.handler.ts'],
  },
];

/**
 * The chat and embeddings functions write the time each plain call spent in Creditgate,
 * upstream excluded, as this Powertools metric (the `x-creditgate-overhead-ms` receipt).
 */
export const PROXY_OVERHEAD_METRIC = 'ProxyOverhead';

/** Share of API requests that return a 5xx, in percent, above which the alarm fires. */
export const API_5XX_RATE_THRESHOLD_PERCENT = 5;

/** Requests in 5 minutes below which the 5xx rate is not judged. */
export const API_5XX_MIN_REQUESTS = 20;

/** Runs in a row that stop at the sweeper's limit before the backlog alarm fires. */
export const SWEEPER_BACKLOG_RUNS = 3;

/** Functions per error or throttle alarm: an alarm's metric math reads at most 10 metrics. */
export const FUNCTIONS_PER_ALARM = 10;

const PERIOD = Duration.minutes(5);

export interface MonitoringProps {
  readonly table: ITableV2;
  readonly apiStage: Stage;
  /** Every function of the stack, keyed by handler module. */
  readonly functions: ReadonlyMap<string, CreditgateFunction>;
  readonly jobs: Jobs;
  readonly platformKey: PlatformKey;

  /**
   * Email address subscribed to the alarm topic; the recipient confirms the subscription.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/**
 * The platform's metrics, alarms and dashboard. Every alarm notifies one SNS topic
 * (encrypted with its own KMS key), which operators subscribe to by email or chat.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    const topicKey = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Creditgate alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic with this key.
    topicKey.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Creditgate alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

    this.addLogMetricFilters(props.functions);
    this.addApiAlarm(props.apiStage);
    this.addFunctionAlarms(props.functions);
    this.addTableAlarm(props.table);
    this.addJobAlarms(props.jobs);
    this.track(props.platformKey.rotationFailedAlarm);

    this.dashboard = this.createDashboard(props);
  }

  private addLogMetricFilters(functions: ReadonlyMap<string, CreditgateFunction>): void {
    for (const definition of LOG_METRICS) {
      for (const handler of definition.handlers) {
        const handlerFunction = functions.get(handler);
        if (!handlerFunction) {
          throw new Error(
            `Metric ${definition.metricName} reads ${handler}, which has no function`,
          );
        }
        addLogMetricFilter(this, handlerFunction.logGroup, definition, handler);
      }
    }
  }

  private addApiAlarm(stage: Stage): void {
    const requests = stage.metricCount({ period: PERIOD, statistic: 'Sum' });
    const errors = stage.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const rate = new MathExpression({
      label: 'API 5xx rate (%)',
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors },
      period: PERIOD,
    });
    this.track(
      rate.createAlarm(this, 'Api5xxRate', {
        alarmDescription: `More than ${API_5XX_RATE_THRESHOLD_PERCENT}% of API requests answered 5xx in two 5-minute periods in a row (judged from ${API_5XX_MIN_REQUESTS} requests); see the access logs and the failing function's logs`,
        threshold: API_5XX_RATE_THRESHOLD_PERCENT,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms on the functions' errors and throttles, summed over groups of at most
   * `FUNCTIONS_PER_ALARM` functions because an alarm's metric math reads at most 10
   * metrics. Grouping keeps the stack far below CloudFormation's 500 resources. Handlers
   * turn expected failures into responses, so a Lambda error is an unhandled failure or a
   * timeout.
   */
  private addFunctionAlarms(functions: ReadonlyMap<string, CreditgateFunction>): void {
    const handlers = [...functions.keys()].sort();
    for (let start = 0; start < handlers.length; start += FUNCTIONS_PER_ALARM) {
      const group = handlers.slice(start, start + FUNCTIONS_PER_ALARM);
      const groupNumber = start / FUNCTIONS_PER_ALARM + 1;
      const sumOf = (metricOf: (handlerFunction: CreditgateFunction) => IMetric, label: string) => {
        const usingMetrics: Record<string, IMetric> = {};
        group.forEach((handler, position) => {
          usingMetrics[`f${position}`] = metricOf(functions.get(handler) as CreditgateFunction);
        });
        return new MathExpression({
          label,
          expression: Object.keys(usingMetrics)
            .map((name) => `FILL(${name}, 0)`)
            .join(' + '),
          usingMetrics,
          period: PERIOD,
        });
      };
      const names = group.join(', ');
      this.track(
        sumOf(
          (handlerFunction) => handlerFunction.lambdaFunction.metricErrors({ statistic: 'Sum' }),
          `Lambda errors, group ${groupNumber}`,
        ).createAlarm(this, `FunctionErrors${groupNumber}`, {
          alarmDescription: `A function failed or timed out; see the dashboard and the log groups of: ${names}`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      this.track(
        sumOf(
          (handlerFunction) => handlerFunction.lambdaFunction.metricThrottles({ statistic: 'Sum' }),
          `Lambda throttles, group ${groupNumber}`,
        ).createAlarm(this, `FunctionThrottles${groupNumber}`, {
          alarmDescription: `Lambda throttled one of these functions because the account's concurrency limit was reached; request a higher limit. Functions: ${names}`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
  }

  /** Alarms on read or write throttling of the table or its indexes. */
  private addTableAlarm(table: ITableV2): void {
    const metrics = throttleMetrics(table);
    const throttles = new MathExpression({
      label: 'DynamoDB throttle events',
      expression: Object.keys(metrics)
        .map((name) => `FILL(${name}, 0)`)
        .join(' + '),
      usingMetrics: metrics,
      period: PERIOD,
    });
    this.track(
      throttles.createAlarm(this, 'TableThrottles', {
        alarmDescription:
          'DynamoDB throttled reads or writes of the table or an index; on-demand tables ' +
          'throttle above twice their previous peak or on a hot partition',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private addJobAlarms(jobs: Jobs): void {
    for (const job of jobs.all) {
      const id = job.function.node.id;
      this.track(
        job.deadLetterQueue
          .metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' })
          .createAlarm(this, `${id}DeadLetters`, {
            alarmDescription: `A run of ${id} failed all its retries; its event is in the dead-letter queue`,
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    }
    this.track(
      logMetric('HoldSweepLimitReached').createAlarm(this, 'SweeperBacklog', {
        alarmDescription: `The hold sweeper stopped at its maximum in ${SWEEPER_BACKLOG_RUNS} runs in a row, so expired holds are piling up faster than it releases them`,
        threshold: 1,
        evaluationPeriods: SWEEPER_BACKLOG_RUNS,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private track(alarm: Alarm): void {
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }

  private createDashboard(props: MonitoringProps): Dashboard {
    const stage = props.apiStage;
    const chat = props.functions.get('ai/chat-completions');
    const dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
    });
    dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }),
    );
    dashboard.addWidgets(
      graph('API requests and errors', [
        stage.metricCount({ period: PERIOD, statistic: 'Sum' }),
        stage.metricClientError({ period: PERIOD, statistic: 'Sum' }),
        stage.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      ]),
      graph('API latency (ms)', [
        stage.metricLatency({ period: PERIOD, statistic: 'p50' }),
        stage.metricLatency({ period: PERIOD, statistic: 'p99' }),
      ]),
      graph('AI calls and upstream errors', [logMetric('AiCalls'), logMetric('UpstreamErrors')]),
      graph('Credits spent', [logMetric('CreditsSpent')]),
    );
    dashboard.addWidgets(
      graph('AI refusals by reason', [
        new MathExpression({
          label: '',
          expression: `SEARCH('{${METRICS_NAMESPACE},reason} MetricName="AiRefusals"', 'Sum', 300)`,
          period: PERIOD,
        }),
      ]),
      graph('Chat function', chat ? functionMetrics(chat) : []),
      graph(
        'Proxy overhead of plain AI calls (ms)',
        ['p50', 'p99'].map(
          (statistic) =>
            new Metric({
              namespace: METRICS_NAMESPACE,
              metricName: PROXY_OVERHEAD_METRIC,
              dimensionsMap: { service: 'creditgate' },
              statistic,
              period: PERIOD,
            }),
        ),
      ),
      graph('DynamoDB throttle events', Object.values(throttleMetrics(props.table))),
      graph('Jobs and key rotation', [
        logMetric('ExpiredHoldsReleased'),
        logMetric('HoldSweepLimitReached'),
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: 'RotationFailed',
          dimensionsMap: { service: 'creditgate' },
          statistic: 'Sum',
          period: PERIOD,
        }),
        ...props.jobs.all.map((job) =>
          job.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: 'Maximum',
            label: `${job.function.node.id} dead letters`,
          }),
        ),
      ]),
    );
    return dashboard;
  }
}

/** Creates the metric filter of one definition on one handler's log group. */
function addLogMetricFilter(
  scope: Construct,
  logGroup: ILogGroup,
  definition: LogMetricDefinition,
  handler: string,
): MetricFilter {
  const pattern = definition.messages
    .map((message) => `($.message = ${JSON.stringify(message)})`)
    .join(' || ');
  const id = `${definition.metricName}${handler.replace(/[^A-Za-z0-9]/g, '')}`;
  return new MetricFilter(scope, id, {
    logGroup,
    filterPattern: FilterPattern.literal(`{ ${pattern} }`),
    metricNamespace: METRICS_NAMESPACE,
    metricName: definition.metricName,
    metricValue: definition.value ?? '1',
    ...(definition.dimensions && { dimensions: definition.dimensions }),
  });
}

/** Returns a log-derived metric of `LOG_METRICS`, summed over 5 minutes. */
function logMetric(metricName: string): Metric {
  if (!LOG_METRICS.some((definition) => definition.metricName === metricName)) {
    throw new Error(`No log metric named ${metricName}`);
  }
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic: 'Sum',
    period: PERIOD,
  });
}

/**
 * Read and write throttle events of the table and of each global secondary index, which
 * DynamoDB reports under the index's own dimension.
 */
function throttleMetrics(table: ITableV2): Record<string, IMetric> {
  const metric = (metricName: string, indexName?: string) =>
    new Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: {
        TableName: table.tableName,
        ...(indexName && { GlobalSecondaryIndexName: indexName }),
      },
      statistic: 'Sum',
      period: PERIOD,
      label: `${metricName}${indexName ? ` (${indexName})` : ''}`,
    });
  const metrics: Record<string, IMetric> = {
    reads: metric('ReadThrottleEvents'),
    writes: metric('WriteThrottleEvents'),
  };
  tableLayout.globalIndexes.forEach((index, position) => {
    metrics[`indexReads${position}`] = metric('ReadThrottleEvents', index.name);
    metrics[`indexWrites${position}`] = metric('WriteThrottleEvents', index.name);
  });
  return metrics;
}

function functionMetrics(handlerFunction: CreditgateFunction): IMetric[] {
  const lambdaFunction = handlerFunction.lambdaFunction;
  return [
    lambdaFunction.metricInvocations({ period: PERIOD, statistic: 'Sum' }),
    lambdaFunction.metricErrors({ period: PERIOD, statistic: 'Sum' }),
    lambdaFunction.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
  ];
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 6, height: 6 });
}
