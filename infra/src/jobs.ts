import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CreditgateFunction } from './creditgate-function';
import { acknowledgeFinding } from './nag';
import type { PlatformKey } from './platform-key';

/**
 * Table actions of the hold sweeper: it queries the hold index and closes each hold in a
 * transaction that updates the user and hold items and puts a ledger entry.
 */
export const HOLD_SWEEPER_TABLE_ACTIONS = [
  'dynamodb:Query',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
] as const;

/**
 * Table actions of the monthly grant. It lists tenants and users, and reads plans, tenants
 * and month records. Each month is one transaction that updates the tenant and puts the
 * month record, ledger entry and audit entry. When nothing is granted, it checks the tenant
 * instead of updating it.
 */
export const MONTHLY_GRANT_TABLE_ACTIONS = [
  'dynamodb:Query',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * Table actions of the job that revokes replaced platform keys. It queries the minted
 * accounts, reads the rotation state, and marks each revoked account in a transaction that
 * updates it and puts an audit entry (updating the rotation state after a failure).
 */
export const KEY_REVOCATION_TABLE_ACTIONS = [
  'dynamodb:Query',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
] as const;

/** The sweeper's schedule; a hold expires 5 minutes after its call's total timeout. */
export const HOLD_SWEEP_RATE = Duration.minutes(5);

/** How often replaced platform keys are checked; a key lives at most this long past its grace. */
export const KEY_REVOCATION_RATE = Duration.minutes(15);

/** Minutes a replaced platform key stays valid when the context sets no `keyRevokeGraceMinutes`. */
export const DEFAULT_KEY_REVOKE_GRACE_MINUTES = 60;

export interface JobsProps {
  /** The platform table the jobs read and write. */
  readonly table: ITableV2;

  /** The platform key, whose replaced keys one job revokes. */
  readonly platformKey: PlatformKey;

  /** Base URL of the OpenAI-compatible upstream, which also serves the Admin API. */
  readonly openaiBaseUrl: string;

  /**
   * Minutes after a rotation before the replaced key is revoked. Function instances cache
   * the key for 60 s by default, so the stack rejects less than 2 minutes.
   * @default 60
   */
  readonly keyRevokeGraceMinutes?: number;
}

/** Lambda's retries of a failed run, and EventBridge's retries of a failed delivery by default. */
export const JOB_RETRY_ATTEMPTS = 2;

/** The longest Lambda keeps an asynchronous event for retries (its maximum, 6 hours). */
const MAX_ASYNC_EVENT_AGE = Duration.hours(6);

/** How long a dead-letter queue keeps a failed job event (SQS's maximum). */
export const JOB_DEAD_LETTER_RETENTION = Duration.days(14);

/** One scheduled job: its function, rule and dead-letter queue. */
export interface ScheduledJob {
  readonly function: CreditgateFunction;
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;
}

/**
 * The scheduled jobs, each a function on an EventBridge rule. The hold sweeper runs every 5
 * minutes, the monthly plan credits at 00:05 UTC on the first day of each month (EventBridge
 * rule schedules are in UTC), and the revocation of replaced platform keys every 15 minutes.
 * EventBridge retries a failed delivery (twice, and for up to a day for the monthly grant),
 * and Lambda retries a failed run twice. An event that still fails lands in the job's
 * dead-letter queue. Every job is safe to run again.
 */
export class Jobs extends Construct {
  readonly holdSweeper: ScheduledJob;
  readonly monthlyGrant: ScheduledJob;
  readonly keyRevocation: ScheduledJob;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);

    // Shorter than the schedule's period, so runs rarely overlap. An overlap is harmless,
    // because a hold is closed only while it is open. A sweep that could not run within one
    // period is replaced by the next one.
    this.holdSweeper = this.addJob('ReleaseExpiredHolds', {
      schedule: Schedule.rate(HOLD_SWEEP_RATE),
      maxEventAge: HOLD_SWEEP_RATE,
      function: {
        handler: 'jobs/release-expired-holds',
        table: props.table,
        tableAccess: { actions: HOLD_SWEEPER_TABLE_ACTIONS },
        timeout: Duration.minutes(2),
        description: 'Creditgate job: release expired holds',
      },
      description: 'Runs the Creditgate hold sweeper',
    });

    // The event keeps its original time when delivery is retried, so a late run still
    // grants the month it was scheduled for. A month must not be missed, so EventBridge
    // retries delivery for up to a day, its maximum.
    this.monthlyGrant = this.addJob('GrantMonthlyCredits', {
      schedule: Schedule.cron({ minute: '5', hour: '0', day: '1' }),
      maxEventAge: Duration.hours(24),
      deliveryRetryAttempts: 185,
      function: {
        handler: 'jobs/grant-monthly-credits',
        table: props.table,
        tableAccess: { actions: MONTHLY_GRANT_TABLE_ACTIONS },
        timeout: Duration.minutes(15),
        description: 'Creditgate job: grant monthly plan credits',
      },
      description: 'Runs the Creditgate monthly plan credits grant',
    });

    const graceMinutes = props.keyRevokeGraceMinutes ?? DEFAULT_KEY_REVOKE_GRACE_MINUTES;
    if (!Number.isInteger(graceMinutes) || graceMinutes < 2) {
      throw new Error(
        `keyRevokeGraceMinutes must be an integer of at least 2, so no function instance still caches a revoked key; got ${graceMinutes}`,
      );
    }
    this.keyRevocation = this.addJob('RevokePreviousPlatformKey', {
      schedule: Schedule.rate(KEY_REVOCATION_RATE),
      maxEventAge: KEY_REVOCATION_RATE,
      function: {
        handler: 'jobs/revoke-previous-platform-key',
        table: props.table,
        tableAccess: { actions: KEY_REVOCATION_TABLE_ACTIONS },
        environment: {
          PLATFORM_KEY_SECRET_ID: props.platformKey.secret.secretArn,
          OPENAI_ADMIN_KEY_SECRET_ID: props.platformKey.adminSecret.secretArn,
          OPENAI_BASE_URL: props.openaiBaseUrl,
          KEY_REVOKE_GRACE_MINUTES: String(graceMinutes),
        },
        timeout: Duration.minutes(2),
        description: 'Creditgate job: revoke replaced platform keys',
      },
      description: 'Runs the Creditgate revocation of replaced platform keys',
    });
    props.platformKey.grantRevocation(this.keyRevocation.function.lambdaFunction);
  }

  /** The three jobs, for alarms and the dashboard. */
  get all(): readonly ScheduledJob[] {
    return [this.holdSweeper, this.monthlyGrant, this.keyRevocation];
  }

  /**
   * Creates a job's function, its dead-letter queue, the rule that runs it and the retry
   * settings of both EventBridge's delivery and Lambda's asynchronous invocation.
   */
  private addJob(
    id: string,
    options: {
      schedule: Schedule;
      /** How long EventBridge and Lambda keep retrying one event (Lambda at most 6 hours). */
      maxEventAge: Duration;
      /** EventBridge's delivery retries; Lambda retries a failed run `JOB_RETRY_ATTEMPTS` times. */
      deliveryRetryAttempts?: number;
      function: ConstructorParameters<typeof CreditgateFunction>[2];
      description: string;
    },
  ): ScheduledJob {
    const jobFunction = new CreditgateFunction(this, id, options.function);
    const deadLetterQueue = new Queue(this, `${id}DeadLetters`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: JOB_DEAD_LETTER_RETENTION,
    });
    acknowledgeFinding(
      deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of a scheduled job, for events that failed every retry',
    );

    // Failed runs: Lambda retries the asynchronous invocation, then sends the event with
    // the error to the queue.
    jobFunction.lambdaFunction.configureAsyncInvoke({
      retryAttempts: JOB_RETRY_ATTEMPTS,
      maxEventAge:
        options.maxEventAge.toSeconds() > MAX_ASYNC_EVENT_AGE.toSeconds()
          ? MAX_ASYNC_EVENT_AGE
          : options.maxEventAge,
      onFailure: new SqsDestination(deadLetterQueue),
    });
    // Failed deliveries, such as a throttled invocation: EventBridge retries, then sends the
    // event to the same queue.
    const rule = new Rule(this, `${id}Schedule`, {
      description: options.description,
      schedule: options.schedule,
      targets: [
        new LambdaFunction(jobFunction.lambdaFunction, {
          maxEventAge: options.maxEventAge,
          retryAttempts: options.deliveryRetryAttempts ?? JOB_RETRY_ATTEMPTS,
          deadLetterQueue,
        }),
      ],
    });
    return { function: jobFunction, rule, deadLetterQueue };
  }
}
