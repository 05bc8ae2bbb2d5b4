import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { CreditgateFunction } from './creditgate-function';
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

/**
 * The scheduled jobs, each a function on an EventBridge rule. The hold sweeper runs every 5
 * minutes, the monthly plan credits at 00:05 UTC on the first day of each month (EventBridge
 * rule schedules are in UTC), and the revocation of replaced platform keys every 15 minutes.
 * EventBridge invokes the functions asynchronously, so Lambda retries a failed run twice;
 * every job is safe to run again.
 */
export class Jobs extends Construct {
  readonly holdSweeper: CreditgateFunction;
  readonly monthlyGrant: CreditgateFunction;
  readonly keyRevocation: CreditgateFunction;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);

    // Shorter than the schedule's period, so runs rarely overlap. An overlap is harmless,
    // because a hold is closed only while it is open.
    this.holdSweeper = new CreditgateFunction(this, 'ReleaseExpiredHolds', {
      handler: 'jobs/release-expired-holds',
      table: props.table,
      tableAccess: { actions: HOLD_SWEEPER_TABLE_ACTIONS },
      timeout: Duration.minutes(2),
      description: 'Creditgate job: release expired holds',
    });
    new Rule(this, 'ReleaseExpiredHoldsSchedule', {
      description: 'Runs the Creditgate hold sweeper',
      schedule: Schedule.rate(HOLD_SWEEP_RATE),
      // A sweep that could not be delivered is replaced by the next one.
      targets: [
        new LambdaFunction(this.holdSweeper.lambdaFunction, {
          maxEventAge: HOLD_SWEEP_RATE,
          retryAttempts: 2,
        }),
      ],
    });

    this.monthlyGrant = new CreditgateFunction(this, 'GrantMonthlyCredits', {
      handler: 'jobs/grant-monthly-credits',
      table: props.table,
      tableAccess: { actions: MONTHLY_GRANT_TABLE_ACTIONS },
      timeout: Duration.minutes(15),
      description: 'Creditgate job: grant monthly plan credits',
    });
    new Rule(this, 'GrantMonthlyCreditsSchedule', {
      description: 'Runs the Creditgate monthly plan credits grant',
      schedule: Schedule.cron({ minute: '5', hour: '0', day: '1' }),
      // The event keeps its original time when delivery is retried, so a late run still
      // grants the month it was scheduled for.
      targets: [
        new LambdaFunction(this.monthlyGrant.lambdaFunction, {
          maxEventAge: Duration.hours(24),
          retryAttempts: 185,
        }),
      ],
    });

    const graceMinutes = props.keyRevokeGraceMinutes ?? DEFAULT_KEY_REVOKE_GRACE_MINUTES;
    if (!Number.isInteger(graceMinutes) || graceMinutes < 2) {
      throw new Error(
        `keyRevokeGraceMinutes must be an integer of at least 2, so no function instance still caches a revoked key; got ${graceMinutes}`,
      );
    }
    this.keyRevocation = new CreditgateFunction(this, 'RevokePreviousPlatformKey', {
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
    });
    props.platformKey.grantRevocation(this.keyRevocation.lambdaFunction);
    new Rule(this, 'RevokePreviousPlatformKeySchedule', {
      description: 'Runs the Creditgate revocation of replaced platform keys',
      schedule: Schedule.rate(KEY_REVOCATION_RATE),
      // A run that could not be delivered is replaced by the next one.
      targets: [
        new LambdaFunction(this.keyRevocation.lambdaFunction, {
          maxEventAge: KEY_REVOCATION_RATE,
          retryAttempts: 2,
        }),
      ],
    });
  }
}
