import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEtcdMember, type EtcdMember } from '../../src/sandbox/etcd.js';
import { freePort } from '../../src/sandbox/ports.js';

/** A real etcd process on loopback ports. */
export type LocalEtcd = EtcdMember;
export { freePort };

/** The sandbox's etcd starter, allowing 1000 keys per transaction for the tests' bulk writes. */
export function startEtcdIn(options: {
  dataDir: string;
  name: string;
  peerUrl?: string;
  initialCluster?: string;
}): Promise<LocalEtcd> {
  return startEtcdMember({ ...options, extraArgs: ['--max-txn-ops=1000'] });
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

/** etcd 3.5's etcd, etcdctl and etcdutl: Debian's packages, unpacked by .ci/run (Debian bookworm's own etcd is 3.4). */
export function etcd35Bin(): string {
  const bin = process.env.LIFEBOAT_ETCD35_BIN;
  if (!bin)
    throw new Error(
      'LIFEBOAT_ETCD35_BIN is not set: run bash .ci/run, which unpacks etcd 3.5 into $HOME/.local/lifeboat-etcd35 and exports LIFEBOAT_ETCD35_BIN=$HOME/.local/lifeboat-etcd35/usr/bin',
    );
  return bin;
}

/** Puts `bin` first on PATH for the tests in this file (the actions look tools up on PATH); returns the undo. */
export function pathWith(bin: string | undefined): () => void {
  const saved = process.env.PATH;
  if (bin) process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
  return () => {
    process.env.PATH = saved;
  };
}
