import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Aws, Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag';

/** Repository root: NodejsFunction's project root, which holds the npm workspaces' lock file. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Lambda runtime of every Creditgate function: the newest Node.js runtime in aws-cdk-lib 2.278. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_26_X;

/** Namespace of the platform's CloudWatch metrics (Powertools Metrics, log metric filters). */
export const METRICS_NAMESPACE = 'Creditgate';

/** DynamoDB actions behind `tableAccess: 'read'`: item reads, queries and scans. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
] as const;

/** DynamoDB actions that `tableAccess: 'read-write'` adds to the read actions. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const;

/**
 * KMS actions on the table's customer-managed key, allowed only through DynamoDB. They are
 * the actions aws-cdk-lib's table grants give, with `kms:ReEncrypt*` and
 * `kms:GenerateDataKey*` spelled out for a symmetric key, so no action has a wildcard.
 */
export const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
export const TABLE_KEY_WRITE_ACTIONS = [
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/** Service name on every Powertools log line, the same name the handlers' logger sets. */
export const SERVICE_NAME = 'creditgate';

/**
 * Set only by the local supervisor, where it makes handlers trust cognito-local's token
 * issuer. A deployed function with it set would accept tokens signed with a public key.
 */
const LOCAL_MODE_VARIABLE = 'CREDITGATE_LOCAL';

/**
 * Table access a function's IAM role gets: every read action, every read and write action,
 * or exactly the listed DynamoDB actions, such as `dynamodb:Query`, on the table and its
 * indexes.
 */
export type TableAccess = 'read' | 'read-write' | { readonly actions: readonly string[] };

export interface CreditgateFunctionProps {
  /**
   * Handler module under `functions/src` without the `.handler.ts` suffix, such as
   * `users/invite-user`. The module exports `handler`.
   */
  readonly handler: string;

  /** The platform table; the function gets `TABLE_NAME` and the IAM access in `tableAccess`. */
  readonly table: ITableV2;

  /** Table access granted to the function's role. */
  readonly tableAccess: TableAccess;

  /**
   * Variables added to `TABLE_NAME` and `POWERTOOLS_SERVICE_NAME`. `CREDITGATE_LOCAL` is
   * rejected.
   * @default - no other variables
   */
  readonly environment?: Record<string, string>;

  /**
   * Maximum run time of one invocation.
   * @default Duration.seconds(28), below API Gateway's default 29-second integration timeout
   */
  readonly timeout?: Duration;

  /**
   * Memory in MB. Lambda allocates CPU in proportion to it.
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * How long the function's log group keeps log events.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;

  /**
   * Description shown in the Lambda console.
   * @default - the handler module path
   */
  readonly description?: string;
}

/**
 * The house Lambda function for one handler module of `functions/src`. The local esbuild
 * bundles it as a minified ES module with source maps for the newest Node.js runtime on
 * ARM64. It has X-Ray tracing, its own log group with a retention period, and a role of its
 * own with no managed policy. The role may write to its log group, send traces and use the
 * table at the level the handler needs.
 */
export class CreditgateFunction extends Construct {
  readonly lambdaFunction: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** Handler module under `functions/src`, such as `users/invite-user`. */
  readonly handler: string;

  constructor(scope: Construct, id: string, props: CreditgateFunctionProps) {
    super(scope, id);
    this.handler = props.handler;

    const environment = props.environment ?? {};
    if (LOCAL_MODE_VARIABLE in environment) {
      throw new Error(
        `${props.handler}: ${LOCAL_MODE_VARIABLE} must not be set on a deployed function, ` +
          'because it makes handlers trust the local token issuer',
      );
    }
    const entry = `${REPO_ROOT}functions/src/${props.handler}.handler.ts`;
    if (!existsSync(entry)) {
      throw new Error(`Handler module not found for ${props.handler}: ${entry}`);
    }

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    });

    // Without a role, Lambda attaches the managed AWSLambdaBasicExecutionRole, which may write
    // to every log group of the account. This role writes to the function's own group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Creditgate ${props.handler}`,
    });
    this.logGroup.grantWrite(this.role);
    // X-Ray's PutTraceSegments and PutTelemetryRecords have no resource types, so active
    // tracing grants them on `*` (Service Authorization Reference, AWS X-Ray).
    acknowledgeWildcardResource(
      this.role,
      '*',
      'X-Ray trace and telemetry actions support no resource-level permissions',
    );

    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      role: this.role,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(28),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      description: props.description ?? `Creditgate ${props.handler}`,
      environment: {
        ...environment,
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into an ES module still call `require` for Node.js
        // built-ins, so the banner defines it.
        banner:
          "import { createRequire as __createRequire } from 'node:module';" +
          'const require = __createRequire(import.meta.url);',
        // The bundle carries the SDK version the tests ran against instead of the one the
        // runtime happens to ship.
        bundleAwsSDK: true,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Docker is neither needed nor available: the root workspace installs esbuild.
        forceDockerBundling: false,
      },
    });

    this.grantTableAccess(props);
  }

  /**
   * Grants the table actions of `props.tableAccess` on the table and its indexes and, for a
   * table under a customer-managed key, the key's use through DynamoDB.
   */
  private grantTableAccess(props: CreditgateFunctionProps): void {
    const { table, tableAccess } = props;
    let actions: readonly string[];
    let keyActions: readonly string[];
    if (tableAccess === 'read') {
      actions = TABLE_READ_ACTIONS;
      keyActions = TABLE_KEY_READ_ACTIONS;
    } else if (tableAccess === 'read-write') {
      actions = [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
      keyActions = [...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS];
    } else {
      actions = tableAccess.actions;
      const invalid = actions.filter((action) => !/^dynamodb:[A-Za-z]+$/.test(action));
      if (actions.length === 0 || invalid.length > 0) {
        throw new Error(
          `${props.handler}: tableAccess.actions must list DynamoDB actions such as ` +
            `dynamodb:Query, without wildcards; got ${JSON.stringify(actions)}`,
        );
      }
      const isWriting = actions.some((action) =>
        (TABLE_WRITE_ACTIONS as readonly string[]).includes(action),
      );
      keyActions = isWriting
        ? [...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS]
        : TABLE_KEY_READ_ACTIONS;
    }

    const indexArn = `${table.tableArn}/index/*`;
    this.role.addToPolicy(
      new PolicyStatement({ actions: [...actions], resources: [table.tableArn, indexArn] }),
    );
    acknowledgeWildcardResource(
      this.role,
      indexArn,
      "Covers the table's global secondary indexes, whose ARNs end in the index name",
    );
    if (table.encryptionKey) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: [...keyActions],
          resources: [table.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.${Aws.URL_SUFFIX}` },
          },
        }),
      );
    }
  }
}
