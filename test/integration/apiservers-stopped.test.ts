/**
 * The fence before an etcd restore, against real sockets: an API server answering /readyz 500 (its
 * etcd gone), a closed port, an address that never answers (a listener whose accept queue is full:
 * the kernel drops further SYNs), and a name that does not resolve. Only refusal passes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import net from 'node:net';
import { actionRegistry } from '../../src/actions/index.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { actionRunner, type Clusters } from '../support/k8s/run-action.js';

let api: K8sEmulator;
let blackHole: ResultPromise;
let blackHoleUrl = '';
const held: net.Socket[] = [];

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A listener that never accepts (its process blocks), with its queue filled so new SYNs are dropped. */
async function startBlackHole(): Promise<string> {
  blackHole = execa(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer();
       s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
         console.log(s.address().port);
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       });`,
    ],
    { reject: false, stdin: 'ignore', buffer: false },
  );
  const port = await new Promise<number>((resolve) =>
    blackHole.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  for (let i = 0; i < 4; i++)
    held.push(net.connect({ host: '127.0.0.1', port }).on('error', () => undefined));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return `https://127.0.0.1:${port}`;
}

let clusters: Clusters = {};
const run = (input: Record<string, unknown>, options: { timeout?: string } = {}) =>
  actionRunner(actionRegistry({ s3: {}, kube: (target) => api.kubeConfig(target) }), clusters)(
    'k8s.apiservers-stopped',
    input,
    { timeout: '2s', ...options },
  );

beforeAll(async () => {
  api = await K8sEmulator.create();
  api.state.readyz = { status: 500, body: '[-]etcd failed: reason withheld' };
  blackHoleUrl = await startBlackHole();
}, 30_000);
afterAll(async () => {
  for (const socket of held) socket.destroy();
  blackHole.kill('SIGKILL');
  await blackHole.catch(() => undefined);
  await api.close();
});

describe('k8s.apiservers-stopped', () => {
  it('passes only when every configured API server refuses connections', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    clusters = {
      primary: { context: 'prod', apiServers: [`https://127.0.0.1:${a}`, `https://localhost:${b}`] },
    };
    const outcome = await run({ cluster: 'primary' });
    expect(outcome).toMatchObject({ passed: true, result: { stopped: true } });
    expect(outcome.result.endpoints).toEqual([
      { endpoint: `https://127.0.0.1:${a}`, stopped: true, seen: '127.0.0.1: refused' },
      {
        endpoint: `https://localhost:${b}`,
        stopped: true,
        seen: expect.stringMatching(/^(127\.0\.0\.1|::1): refused(, (127\.0\.0\.1|::1): refused)?$/),
      },
    ]);
  });

  it('keeps the fence failed for an API server that answers /readyz 500, and says what each endpoint did', async () => {
    const closed = await closedPort();
    const answering = api.url;
    clusters = { primary: { context: 'prod', apiServers: [`https://127.0.0.1:${closed}`, answering] } };
    const outcome = await run({ cluster: 'primary' }, {});
    const host = new URL(answering).hostname;
    expect(outcome).toMatchObject({
      passed: false,
      result: { stopped: false },
      error: `not every API server of cluster primary refuses connections: ${answering} ${host}: accepted`,
    });
  });

  it('does not take silence or a name that does not resolve for stopped', async () => {
    clusters = {
      primary: { context: 'prod', apiServers: [blackHoleUrl, 'https://api.cluster-gone.invalid:6443'] },
    };
    const outcome = await run({ cluster: 'primary' });
    expect(outcome).toMatchObject({ passed: false, result: { stopped: false } });
    expect(outcome.result.endpoints).toEqual([
      {
        endpoint: blackHoleUrl,
        stopped: false,
        seen: '127.0.0.1: no answer within 1000 ms (dropped, not refused)',
      },
      {
        endpoint: 'https://api.cluster-gone.invalid:6443',
        stopped: false,
        seen: 'api.cluster-gone.invalid: DNS ENOTFOUND',
      },
    ]);
  });

  it('with `within`, keeps asking until the last API server is gone', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    clusters = { primary: { context: 'prod', apiServers: [`https://127.0.0.1:${port}`] } };
    setTimeout(() => server.close(), 600);
    const outcome = await run({ cluster: 'primary', within: '10s' }, { timeout: '15s' });
    expect(outcome).toMatchObject({ passed: true, result: { stopped: true } });
    expect(outcome.progress[0]).toMatch(
      new RegExp(`^https://127\\.0\\.0\\.1:${port} 127\\.0\\.0\\.1: accepted; asking again`),
    );
  });

  it('names the config key when the cluster lists no API servers', async () => {
    clusters = { primary: { context: 'prod' } };
    expect(await run({ cluster: 'primary' })).toMatchObject({
      passed: false,
      error:
        'cluster primary has no API-server endpoints configured: list every one as clusters.primary.apiServers (https://HOST:PORT) in LIFEBOAT_CONFIG',
    });
  });
});
