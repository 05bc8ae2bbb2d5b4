import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkJava } from './stack/java';
import { startStack } from './stack/stack';

/**
 * `npm run dev`: starts the local platform in the foreground and stops every child on
 * Ctrl-C (SIGINT) or SIGTERM.
 *
 * Options:
 * - `--no-web` skips the SPA.
 * - `--state-dir DIR` keeps state in DIR instead of `.local/`.
 * - `--random-ports` takes free ports instead of the usual ones, so tests can run beside a
 *   developer's stack.
 */
const { values } = parseArgs({
  options: {
    'no-web': { type: 'boolean', default: false },
    'state-dir': { type: 'string', default: '.local' },
    'random-ports': { type: 'boolean', default: false },
  },
});

/** The usual local ports; a busy one is replaced by a free port. */
const usualPorts = {
  web: 5173,
  api: 8787,
  dynamodb: 8000,
  cognito: 9229,
  secretsManager: 4566,
  upstream: 8790,
  lambda: 8791,
};

// The SDK clients of the bootstrap run in this process; local Node may be older than Lambda's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const javaProblem = checkJava();
if (javaProblem) {
  console.error(javaProblem);
  process.exit(1);
}

const startedAt = Date.now();
const stateDir = resolve(values['state-dir'] ?? '.local');
console.log('Starting Creditgate locally...');
let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({
    stateDir,
    isWebEnabled: !values['no-web'],
    isPersistent: true,
    preferredPorts: values['random-ports'] ? {} : usualPorts,
  });
} catch (error) {
  console.error(`Local stack failed to start: ${(error as Error).message}`);
  console.error(`Logs: ${resolve(stateDir, 'logs')}`);
  process.exit(1);
}

const { info } = stack;
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
console.log(`Creditgate is running (ready in ${seconds} s).

  SPA          ${info.webUrl ?? 'not started (--no-web)'}
  API          ${info.apiUrl}/v1
  Sign in as   ${info.superAdmin.email}
  Password     ${info.superAdmin.password}

  DynamoDB Local        ${info.dynamodbEndpoint}  (table ${info.tableName})
  cognito-local         ${info.cognitoEndpoint}  (pool ${info.userPoolId}, client ${info.userPoolClientId})
  Secrets Manager       ${info.secretsManagerEndpoint}
  OpenAI upstream       ${info.openaiBaseUrl}  (control API ${info.upstreamControlUrl})
  Emails (outbox)       ${info.outboxDir}
  Logs                  ${info.logDir}
  Stack details         ${resolve(stateDir, 'stack.json')}

Press Ctrl-C to stop.`);

let isStopping = false;
const shutdown = (signal: string) => {
  if (isStopping) return;
  isStopping = true;
  console.log(`\n${signal} received, stopping...`);
  stack.stop().then(
    () => {
      console.log('Stopped.');
      process.exit(0);
    },
    (error: unknown) => {
      console.error('Stopping failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

// A child that dies on its own takes the platform down with a pointer to its log.
for (const child of stack.processes) {
  child.exited.then((code) => {
    if (isStopping) return;
    console.error(
      `${child.name} exited with code ${code}; see ${resolve(info.logDir, `${child.name}.log`)}`,
    );
    shutdown('child exit');
  });
}
