import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { implement } from '../contract.js';
import { keepTrying } from '../keep-trying.js';
import { apiserversStoppedContract } from './apiservers-stopped-contract.js';

const CONNECT_TIMEOUT_MS = 5000;

/** What one address did with a TCP connect; only `refused` is proof that nothing listens there. */
type Seen = { readonly address: string; readonly seen: string };

type EndpointSeen = { readonly endpoint: string; readonly stopped: boolean; readonly addresses: Seen[] };

function connect(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (seen: string) => {
      socket.destroy();
      resolve(seen);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms (dropped, not refused)`));
    socket.once('connect', () => done('accepted'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? error.message)),
    );
  });
}

/**
 * Every address the endpoint's host resolves to must refuse a TCP connect: a load balancer name
 * with one live backend is not stopped. An HTTP or TLS answer needs an accepted connection, so
 * `accepted` covers a /readyz 500 too (the normal state of an API server whose etcd is gone).
 */
async function probe(endpoint: string, timeoutMs: number): Promise<EndpointSeen> {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  const addresses = await lookup(host, { all: true, verbatim: true }).catch(
    (error: NodeJS.ErrnoException) => error.code ?? error.message,
  );
  if (typeof addresses === 'string')
    return { endpoint, stopped: false, addresses: [{ address: host, seen: `DNS ${addresses}` }] };
  const seen = await Promise.all(
    addresses.map(async ({ address }) => ({ address, seen: await connect(address, port, timeoutMs) })),
  );
  return { endpoint, stopped: seen.every((a) => a.seen === 'refused'), addresses: seen };
}

const summary = (endpoint: EndpointSeen): string =>
  `${endpoint.endpoint} ${endpoint.addresses.map((a) => `${a.address}: ${a.seen}`).join(', ')}`;

/**
 * The fence before an etcd restore: every API server of the cluster (config clusters.NAME.apiServers)
 * refuses connections. Silence, a DNS failure or any answer keeps it failed, with what was seen.
 */
export const apiserversStopped = implement(
  apiserversStoppedContract,
  async ({ cluster, within }, context) => {
    const started = Date.now();
    const target = context.cluster(cluster);
    const servers = target?.apiServers ?? [];
    if (servers.length === 0)
      return {
        completed: false,
        result: {},
        error: `cluster ${cluster} has no API-server endpoints configured: list every one as clusters.${cluster}.apiServers (https://HOST:PORT) in LIFEBOAT_CONFIG`,
      };
    const timeoutMs = Math.max(100, Math.min(CONNECT_TIMEOUT_MS, context.timeoutMs / 2));
    const outcome = await keepTrying({
      withinMs: Math.min(within ?? 0, context.timeoutMs),
      signal: context.signal,
      progress: context.progress,
      attempt: async () => {
        const endpoints = await Promise.all(servers.map((server) => probe(server, timeoutMs)));
        const running = endpoints.filter((endpoint) => !endpoint.stopped);
        return { value: endpoints, passed: running.length === 0, note: running.map(summary).join('; ') };
      },
    });
    const endpoints = outcome.value;
    const running = endpoints.filter((endpoint) => !endpoint.stopped);
    const result = {
      stopped: outcome.passed,
      endpoints: endpoints.map((endpoint) => ({
        endpoint: endpoint.endpoint,
        stopped: endpoint.stopped,
        seen: endpoint.addresses.map((a) => `${a.address}: ${a.seen}`).join(', '),
      })),
      durationMs: Date.now() - started,
    };
    if (outcome.passed) return { completed: true, result };
    return {
      completed: true,
      result,
      error: `not every API server of cluster ${cluster} refuses connections: ${running.map(summary).join('; ')}`,
    };
  },
);
