import { parseArgs } from 'node:util';
import { startGateway } from './server';

/** Starts the local gateway; the supervisor passes ports and the handlers' environment. */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'lambda-port': { type: 'string' },
    host: { type: 'string' },
  },
});
const gateway = await startGateway({
  port: Number(values.port ?? 0),
  lambdaPort: Number(values['lambda-port'] ?? 0),
  host: values.host ?? '127.0.0.1',
});
console.log(`gateway listening on ${gateway.url} (Lambda Invoke API on ${gateway.lambdaUrl})`);

const stop = () => {
  gateway.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
