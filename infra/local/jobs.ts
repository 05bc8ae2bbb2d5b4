import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { invokeLocalFunction } from './gateway/invoke-client';
import type { StackInfo } from './stack/stack';

/**
 * `npm run jobs -- <job>`: runs a scheduled job once on the running local stack, through
 * the gateway's Lambda Invoke API, and prints the job's counts. In AWS, EventBridge runs the
 * same handlers on a schedule.
 */
const usage = `Usage: npm run jobs -- <job> [options]

Jobs:
  release-holds    Release open holds whose holdExpiresAt has passed.
  grant-monthly    Grant every active tenant its plan's monthly credits for one UTC month,
                   once per tenant and month.
  revoke-previous-key
                   Revoke platform keys minted by rotations that were replaced more than
                   KEY_REVOKE_GRACE_MINUTES (default 60) ago.

Options:
  --month YYYY-MM    Month for grant-monthly. Default: the current UTC month.
  --state-dir DIR    Folder of the running stack's stack.json. Default: .local
  --help             Print this help.`;

/** Job names of this command, and the local function each one invokes. */
const functionNames: Record<string, string> = {
  'release-holds': 'release-expired-holds',
  'grant-monthly': 'grant-monthly-credits',
  'revoke-previous-key': 'revoke-previous-platform-key',
};

/** The gateway gives a function up to 15 minutes, as Lambda does. */
const INVOKE_TIMEOUT_MS = 900_000;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let parsed: ReturnType<typeof parseCommandLine>;
try {
  parsed = parseCommandLine();
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const [job, ...extra] = positionals;
const functionName = job ? functionNames[job] : undefined;
if (!job || !functionName || extra.length > 0) {
  fail(`${job ? `Unknown job "${[job, ...extra].join(' ')}".` : 'No job given.'}\n\n${usage}`);
}
if (values.month !== undefined) {
  if (job !== 'grant-monthly') fail('--month applies only to grant-monthly.');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) {
    fail(`Invalid --month "${values.month}": use YYYY-MM, such as 2026-12.`);
  }
}

const stackFile = join(resolve(values['state-dir']), 'stack.json');
let info: StackInfo;
try {
  info = JSON.parse(await readFile(stackFile, 'utf8')) as StackInfo;
} catch (error) {
  fail(
    `Cannot read ${stackFile} (${(error as Error).message}). Start the local stack with ` +
      '`npm run dev` first, or pass the --state-dir it uses.',
  );
}

console.log(`Running ${job} on ${info.lambdaEndpoint}...`);
try {
  const result = await invokeLocalFunction({
    lambdaEndpoint: info.lambdaEndpoint,
    functionName,
    payload: values.month ? { month: values.month } : {},
    timeoutMs: INVOKE_TIMEOUT_MS,
  });
  console.log(JSON.stringify(result.payload, null, 2));
  if (result.functionError) fail(`${job} failed; see ${join(info.logDir, 'gateway.log')}.`);
} catch (error) {
  fail(`${job} could not be run: ${(error as Error).message}. Is the local stack still running?`);
}

function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      month: { type: 'string' },
      'state-dir': { type: 'string', default: '.local' },
      help: { type: 'boolean', default: false },
    },
  });
}
