import { Server } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Times each Slack request from its arrival to the end of its response. Bolt answers the HTTP
 * request at ack() (processBeforeResponse is off), so a listener on the server, placed before
 * Bolt's, measures the ack latency Slack sees, without a custom receiver or Bolt's internals.
 */
export function timeAcks(server: unknown, path: string, observe: (seconds: number) => void): void {
  // In Socket Mode acks go over the WebSocket and start() gives no HTTP server: nothing to time here.
  if (!(server instanceof Server)) return;
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://lifeboat').pathname !== path) return;
    const arrived = process.hrtime.bigint();
    res.once('finish', () => observe(Number(process.hrtime.bigint() - arrived) / 1e9));
  });
}
