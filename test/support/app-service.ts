import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The application a cluster serves, as its health URL sees it: 200 while it is up, 503 while not. */
export type AppService = { readonly healthUrl: string; up: boolean; close(): Promise<void> };

export async function startAppService(): Promise<AppService> {
  const state = { up: true };
  const server = http.createServer((_req, res) => {
    res.writeHead(state.up ? 200 : 503, { 'content-type': 'text/plain' }).end(state.up ? 'ok' : 'down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    healthUrl: `http://127.0.0.1:${port}/healthz`,
    get up() {
      return state.up;
    },
    set up(value: boolean) {
      state.up = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
