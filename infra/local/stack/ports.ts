import { createServer } from 'node:net';

/**
 * Returns `preferred` if it is free on 127.0.0.1, else a free port chosen by the OS. The
 * port is released before the caller binds it, so another process could take it first;
 * the supervisor then fails with that service's log.
 */
export function pickPort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (preferred !== 0 && error.code === 'EADDRINUSE') resolve(pickPort(0));
      else reject(error);
    });
    server.listen(preferred, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : preferred;
      server.close(() => resolve(port));
    });
  });
}
