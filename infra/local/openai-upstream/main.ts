/**
 * Runs the local OpenAI-compatible upstream until SIGINT or SIGTERM.
 * Usage: tsx infra/local/openai-upstream/main.ts [--port PORT] [--host HOST]
 */
import { parseArgs } from 'node:util';
import { startOpenAiUpstream } from './server.js';

const usage = `Usage: tsx infra/local/openai-upstream/main.ts [--port PORT] [--host HOST]

Starts the local OpenAI-compatible upstream and prints its URL.

Options:
  --port PORT  TCP port to listen on; 0 picks a free port (default 0)
  --host HOST  loopback address to bind: 127.0.0.1, ::1 or localhost (default 127.0.0.1)
  --help       print this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
    throw new Error(`Invalid --port '${values.port}': expected an integer from 0 to 65535.`);
  }

  const upstream = await startOpenAiUpstream({ port: Number(values.port), host: values.host });
  console.log(`openai-upstream listening on ${upstream.url}`);

  const stop = (signal: NodeJS.Signals) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    upstream.close().then(
      () => console.log(`openai-upstream stopped on ${signal}`),
      (error: unknown) => {
        console.error('openai-upstream: closing the server failed', error);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`openai-upstream: ${error instanceof Error ? error.message : String(error)}`);
  console.error('Run with --help for usage.');
  process.exitCode = 1;
});
