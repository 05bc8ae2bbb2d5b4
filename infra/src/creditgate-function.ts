import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Repository root: NodejsFunction's project root, which holds the npm workspaces' lock file. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Lambda runtime of every Creditgate function. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

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
 * bundles it as an ES module for Node.js 24 on ARM64. It has X-Ray tracing, its own log
 * group with a retention period, and table access at the level the handler needs.
 */
export class CreditgateFunction extends Construct {
  readonly lambdaFunction: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CreditgateFunctionProps) {
    super(scope, id);

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

    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(28),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      description: props.description ?? `Creditgate ${props.handler}`,
      environment: {
        ...environment,
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
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

    if (props.tableAccess === 'read') {
      props.table.grantReadData(this.lambdaFunction);
    } else if (props.tableAccess === 'read-write') {
      props.table.grantReadWriteData(this.lambdaFunction);
    } else {
      const { actions } = props.tableAccess;
      const invalid = actions.filter((action) => !/^dynamodb:[A-Za-z]+$/.test(action));
      if (actions.length === 0 || invalid.length > 0) {
        throw new Error(
          `${props.handler}: tableAccess.actions must list DynamoDB actions such as ` +
            `dynamodb:Query, without wildcards; got ${JSON.stringify(actions)}`,
        );
      }
      props.table.grant(this.lambdaFunction, ...actions);
    }
  }
}
