/**
 * Command-line entry for the local Secrets Manager endpoint.
 *
 * Run: node --import tsx infra/local/secrets-manager/main.ts --port 4566 --state-file .local/secrets.json
 * Prints one line, `secrets-manager listening on http://127.0.0.1:PORT`, once it accepts
 * requests, and stops cleanly on SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSecretsManager } from './server.js';

const USAGE = `Usage: node --import tsx infra/local/secrets-manager/main.ts [options]

Options:
  --port PORT             TCP port to listen on; 0 picks a free port (default: 0)
  --host HOST             loopback address to bind: 127.0.0.1, localhost or ::1 (default: 127.0.0.1)
  --state-file PATH       JSON file that keeps secrets across restarts (default: memory only)
  --lambda-endpoint URL   base URL of the local Lambda Invoke API that RotateSecret calls
  --help                  print this help
`;

function parsePort(value: string | undefined): number {
  if (value === undefined) {
    return 0;
  }
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new Error(`Invalid --port "${value}": expected an integer from 0 to 65535.`);
  }
  return port;
}

interface CommandLine {
  port: number;
  host: string;
  stateFile?: string;
  lambdaEndpoint?: string;
  isHelp: boolean;
}

function readCommandLine(): CommandLine {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'state-file': { type: 'string' },
      'lambda-endpoint': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    port: parsePort(values.port),
    host: values.host,
    stateFile: values['state-file'],
    lambdaEndpoint: values['lambda-endpoint'],
    isHelp: values.help,
  };
}

async function main(): Promise<void> {
  let commandLine: CommandLine;
  try {
    commandLine = readCommandLine();
  } catch (error) {
    // parseArgs throws TypeError with a readable message for unknown or malformed options.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (commandLine.isHelp) {
    process.stdout.write(USAGE);
    return;
  }

  const server = await startSecretsManager({
    port: commandLine.port,
    host: commandLine.host,
    stateFile: commandLine.stateFile,
    lambdaEndpoint: commandLine.lambdaEndpoint,
  });
  process.stdout.write(`secrets-manager listening on ${server.url}\n`);

  let isStopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (isStopping) {
      return;
    }
    isStopping = true;
    process.stderr.write(`secrets-manager stopping on ${signal}\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`secrets-manager failed to stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `secrets-manager failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
