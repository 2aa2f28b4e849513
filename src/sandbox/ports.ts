import type { Server } from 'node:http';
import net from 'node:net';

/** A port nobody listens on right now, on loopback; for children (etcd, the bot) that need one up front. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

function listenOnce(server: Server, port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Listens on `port` or, when it is taken, the next free one (up to 20 further); 0 means any free port. */
export async function listenFrom(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  const last = port === 0 ? 0 : port + 20;
  for (let candidate = port; candidate <= last; candidate++) {
    const bound = await listenOnce(server, candidate, host);
    if (bound !== undefined) return bound;
  }
  throw new Error(
    `ports ${port}–${last} on ${host} are all taken: stop what uses them, or pass another port`,
  );
}
