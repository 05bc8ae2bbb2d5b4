import { PLATFORM_ADMIN_KEY_SECRET_NAME, PLATFORM_KEY_SECRET_NAME } from '@creditgate/shared';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  type Alarm,
  ComparisonOperator,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CreditgateFunction, SERVICE_NAME } from './creditgate-function';
import { acknowledgeFinding, acknowledgeWildcardResource } from './nag';

/**
 * Table actions of the rotation function. It reads the rotation state and the minted
 * accounts of a version, records each minted account, and writes the rotation record, the
 * last failure and audit entries in transactions of puts and updates.
 */
export const ROTATION_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;

/** Namespace and name of the metric that the rotation function logs for each failed step. */
export const ROTATION_FAILED_METRIC = { namespace: 'Creditgate', name: 'RotationFailed' } as const;

/** Days between scheduled rotations when the context sets no `keyRotationDays`. */
export const DEFAULT_KEY_ROTATION_DAYS = 30;

export interface PlatformKeyProps {
  /** The platform table, for the rotation state, minted accounts and audit entries. */
  readonly table: ITableV2;

  /** Base URL of the OpenAI-compatible upstream; testSecret calls its `/models`. */
  readonly openaiBaseUrl: string;

  /**
   * Days between scheduled rotations, from 1 to 1000 (Secrets Manager's range).
   * @default 30
   */
  readonly rotationDays?: number;

  /**
   * The OpenAI project in which rotations mint keys. Without it, only submitted keys can
   * rotate in: a scheduled rotation fails at createSecret and raises the alarm.
   * @default - not set
   */
  readonly openaiProjectId?: string;
}

/**
 * The platform's upstream API key and its rotation. The key is a Secrets Manager secret
 * holding `{"apiKey": "..."}`; the Admin API key that mints new keys is a second secret,
 * `{"adminKey": "..."}`. Both are encrypted with one customer-managed KMS key and retained
 * when they leave the stack. A rotation function on a schedule replaces the key, and an
 * alarm watches its `RotationFailed` metric.
 */
export class PlatformKey extends Construct {
  readonly secret: Secret;
  readonly adminSecret: Secret;
  readonly encryptionKey: Key;
  readonly rotationFunction: CreditgateFunction;
  readonly rotationFailedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    const rotationDays = checkRotationDays(props.rotationDays ?? DEFAULT_KEY_ROTATION_DAYS);

    this.encryptionKey = new Key(this, 'EncryptionKey', {
      description: 'Encrypts the Creditgate platform key secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The first deploy stores a random placeholder, which upstream rejects with 401.
    // Operators then submit the real key (`PUT /v1/platform/ai-key`) or set it with
    // `aws secretsmanager put-secret-value`. Later deploys keep that value, because
    // CloudFormation generates the string only on creation.
    this.secret = new Secret(this, 'Secret', {
      secretName: PLATFORM_KEY_SECRET_NAME,
      description: 'Creditgate platform OpenAI API key as {"apiKey": "..."}',
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'apiKey',
        excludePunctuation: true,
        passwordLength: 40,
      },
    });

    // Also a placeholder until an operator stores an OpenAI admin key (sk-admin-...).
    this.adminSecret = new Secret(this, 'AdminSecret', {
      secretName: PLATFORM_ADMIN_KEY_SECRET_NAME,
      description: 'Creditgate OpenAI Admin API key as {"adminKey": "..."}, used to mint keys',
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'adminKey',
        excludePunctuation: true,
        passwordLength: 40,
      },
    });

    this.rotationFunction = new CreditgateFunction(this, 'Rotation', {
      handler: 'keys/rotate-platform-key',
      table: props.table,
      tableAccess: { actions: ROTATION_TABLE_ACTIONS },
      environment: {
        OPENAI_BASE_URL: props.openaiBaseUrl,
        OPENAI_ADMIN_KEY_SECRET_ID: this.adminSecret.secretArn,
        ...(props.openaiProjectId !== undefined && { OPENAI_PROJECT_ID: props.openaiProjectId }),
      },
      // Each step makes at most a few Secrets Manager, DynamoDB and OpenAI requests, and
      // each OpenAI request gives up after 10 s.
      timeout: Duration.minutes(1),
      description: 'Creditgate platform key rotation',
    });
    this.grantAdminKeyRead(this.rotationFunction.lambdaFunction);

    // Adds GetSecretValue, PutSecretValue, DescribeSecret and UpdateSecretVersionStage on
    // the secret, kms:Decrypt and kms:GenerateDataKey through Secrets Manager in the key
    // policy, and Secrets Manager's permission to invoke the function. The configuration
    // does not rotate at once: the placeholder admin key would fail the first rotation.
    this.secret.addRotationSchedule('RotationSchedule', {
      rotationLambda: this.rotationFunction.lambdaFunction,
      automaticallyAfter: Duration.days(rotationDays),
      rotateImmediatelyOnUpdate: false,
    });
    // aws-cdk-lib 2.278 also grants secretsmanager:GetRandomPassword on `*`, an action with
    // no resource type, beside the X-Ray actions the house construct acknowledges.
    acknowledgeWildcardResource(
      this.rotationFunction.role,
      '*',
      'X-Ray actions and secretsmanager:GetRandomPassword, which aws-cdk-lib adds to rotation ' +
        'functions, support no resource-level permissions',
    );
    acknowledgeFinding(
      this.adminSecret,
      'AwsSolutions-SMG4',
      'The OpenAI Admin API key is created by a person in the OpenAI console and cannot be ' +
        'minted by an API, so it cannot rotate automatically; docs/deploy.md describes replacing it',
    );

    // The monitoring construct sends this alarm to the stack's alarm topic.
    this.rotationFailedAlarm = new Metric({
      namespace: ROTATION_FAILED_METRIC.namespace,
      metricName: ROTATION_FAILED_METRIC.name,
      dimensionsMap: { service: SERVICE_NAME },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }).createAlarm(this, 'RotationFailedAlarm', {
      alarmDescription:
        'A platform key rotation or revocation step failed; GET /v1/platform/ai-key shows the last failure',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * Lets `grantee` read the current key value: `secretsmanager:GetSecretValue` on this
   * secret, and `kms:Decrypt` on its key only when Secrets Manager makes the call.
   */
  grantReadValue(grantee: IGrantable): void {
    this.grantSecretActions(grantee, this.secret, ['secretsmanager:GetSecretValue']);
    this.grantKeyUse(grantee, ['kms:Decrypt']);
  }

  /** Lets `grantee` read the secret's metadata (rotation settings and version labels). */
  grantDescribe(grantee: IGrantable): void {
    this.grantSecretActions(grantee, this.secret, ['secretsmanager:DescribeSecret']);
  }

  /**
   * Lets `grantee` start a rotation: DescribeSecret and RotateSecret on the secret, and
   * `lambda:InvokeFunction` on the rotation function, which RotateSecret also requires.
   */
  grantStartRotation(grantee: IGrantable): void {
    this.grantSecretActions(grantee, this.secret, [
      'secretsmanager:DescribeSecret',
      'secretsmanager:RotateSecret',
    ]);
    // RotateSecret invokes the unqualified function, so no version or alias (`:*`) is granted.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.rotationFunction.lambdaFunction.functionArn],
      }),
    );
  }

  /**
   * Lets `grantee` store a submitted key under its own label and start the rotation that
   * tests it. Writing a value needs `kms:GenerateDataKey` and `kms:Decrypt` through Secrets
   * Manager; none of these actions reads a key value.
   */
  grantSubmitKey(grantee: IGrantable): void {
    this.grantStartRotation(grantee);
    this.grantSecretActions(grantee, this.secret, [
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    this.grantKeyUse(grantee, ['kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /**
   * Lets the job that revokes replaced keys list the secret's versions and read the admin
   * key. It never reads the platform key: the ids of minted accounts are in the table.
   */
  grantRevocation(grantee: IGrantable): void {
    this.grantSecretActions(grantee, this.secret, ['secretsmanager:ListSecretVersionIds']);
    this.grantAdminKeyRead(grantee);
  }

  private grantAdminKeyRead(grantee: IGrantable): void {
    this.grantSecretActions(grantee, this.adminSecret, ['secretsmanager:GetSecretValue']);
    this.grantKeyUse(grantee, ['kms:Decrypt']);
  }

  private grantSecretActions(grantee: IGrantable, secret: Secret, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [secret.secretArn] }),
    );
  }

  /** Grants KMS actions on the key, only for calls that Secrets Manager makes. */
  private grantKeyUse(grantee: IGrantable, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [this.encryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` },
        },
      }),
    );
  }
}

function checkRotationDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > 1000) {
    throw new Error(`keyRotationDays must be an integer from 1 to 1000, got ${days}`);
  }
  return days;
}
