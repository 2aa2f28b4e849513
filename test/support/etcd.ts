import { execa, type ResultPromise } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A real etcd process on loopback ports. */
export type LocalEtcd = {
  readonly name: string;
  readonly endpoint: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  /** SIGTERM, then SIGKILL after 5 s; leaves the data dir. */
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const answer = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    return answer.ok && ((await answer.json()) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

async function stopProcess(child: ResultPromise): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  child.kill('SIGTERM');
  await child;
  clearTimeout(killer);
}

/**
 * Starts etcd and waits for /health. With an existing data dir (after a restore) etcd takes its
 * membership from the data and `initialCluster` only has to name the member consistently.
 */
export async function startEtcdIn(options: {
  dataDir: string;
  name: string;
  peerUrl?: string;
  initialCluster?: string;
}): Promise<LocalEtcd> {
  const peerUrl = options.peerUrl ?? `http://127.0.0.1:${await freePort()}`;
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const child = execa(
    'etcd',
    [
      `--name=${options.name}`,
      `--data-dir=${options.dataDir}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=${options.initialCluster ?? `${options.name}=${peerUrl}`}`,
      // Lets the tests write 1000 keys per transaction.
      '--max-txn-ops=1000',
      '--logger=zap',
      '--log-level=error',
    ],
    { reject: false, stdin: 'ignore', all: true },
  );
  const stop = () => stopProcess(child);
  const deadline = Date.now() + 15_000;
  while (!(await healthy(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const output = String((await child).all ?? '').slice(-2000);
      throw new Error(`etcd did not become healthy at ${endpoint}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { name: options.name, endpoint, peerUrl, dataDir: options.dataDir, stop };
}

/** A fresh single-member etcd in a temporary folder; `cleanUp` stops it and removes the folder. */
export async function startEtcd(): Promise<LocalEtcd & { cleanUp(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-etcd-'));
  const etcd = await startEtcdIn({ dataDir: path.join(dir, 'data'), name: 'local' }).catch(async (error) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...etcd,
    cleanUp: async () => {
      await etcd.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `count` keys PREFIX0..PREFIX(count-1) with values value-N, 1000 per transaction. */
export async function putKeys(endpoint: string, prefix: string, count: number): Promise<void> {
  for (let from = 0; from < count; from += 1000) {
    const puts = [];
    for (let i = from; i < Math.min(count, from + 1000); i++) puts.push(`put ${prefix}${i} value-${i}`);
    // txn reads: compares, blank line, success ops, blank line, failure ops, blank line.
    await execa('etcdctl', [`--endpoints=${endpoint}`, 'txn'], {
      input: `\n${puts.join('\n')}\n\n\n`,
      env: { ETCDCTL_API: '3' },
    });
  }
}

export async function getValue(endpoint: string, key: string): Promise<string> {
  const { stdout } = await execa(
    'etcdctl',
    [`--endpoints=${endpoint}`, 'get', '--print-value-only', '--', key],
    {
      env: { ETCDCTL_API: '3' },
    },
  );
  return stdout;
}
