import { createServer } from 'node:http';
import { listenFrom } from './ports.js';

export const NO_API_SERVER_MESSAGE = 'there is no Kubernetes API server in the Lifeboat sandbox';

/**
 * The address the sandbox kubeconfig names: it answers every request 503 with a Kubernetes Status
 * that says there is no API server, so each Kubernetes check fails at once and says why, instead of
 * timing out or naming a socket error.
 */
export async function startNoApiServer(): Promise<{ readonly url: string; stop(): Promise<void> }> {
  const status = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: NO_API_SERVER_MESSAGE,
    reason: 'ServiceUnavailable',
    code: 503,
  });
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' }).end(status);
  });
  const port = await listenFrom(server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
