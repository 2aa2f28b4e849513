/**
 * The etcdutl branch of the etcd actions with Debian's real etcd 3.5 (LIFEBOAT_ETCD35_BIN first on
 * PATH): snapshots read and restored with etcdutl, the revision bumped and marked compacted by
 * default; and a restore tool that does not match the cluster or the snapshot refused before it writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { etcdActions } from '../../src/actions/etcd/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { runCall } from '../../src/engine/run-call.js';
import { etcd35Bin, pathWith, putKeys, startEtcd, startEtcdIn, type LocalEtcd } from '../support/etcd.js';

const BUMP = 1_000_000_000;

let dir = '';
let etcd: LocalEtcd & { cleanUp(): Promise<void> };
let etcd34: (LocalEtcd & { cleanUp(): Promise<void> }) | undefined;
let restored: LocalEtcd | undefined;
let restorePath: () => void = () => undefined;
const registry = createRegistry(etcdActions());
const call = (action: string, input: Record<string, unknown>) =>
  runCall(registry, { action, with: input }, () => undefined, {
    incidentId: 'inc-etcdutl',
    workdir: dir,
    signal: new AbortController().signal,
    progress: () => undefined,
    cluster: () => undefined,
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-etcdutl-'));
  // etcd 3.4 (Debian bookworm's, on PATH) for a snapshot that 3.5's etcdutl must refuse.
  etcd34 = await startEtcd();
  await putKeys(etcd34.endpoint, '/registry/old/key-', 10);
  const saved = await call('etcd.snapshot-save', { endpoints: etcd34.endpoint, file: 'from-3.4.db' });
  expect(saved.error).toBeUndefined();
  restorePath = pathWith(etcd35Bin());
  etcd = await startEtcd();
  await putKeys(etcd.endpoint, '/registry/lifeboat/key-', 500);
}, 60_000);
afterAll(async () => {
  await restored?.stop();
  await etcd?.cleanUp();
  await etcd34?.cleanUp();
  restorePath();
  await rm(dir, { recursive: true, force: true });
});

describe('with etcd 3.5 and etcdutl', () => {
  it('reads and restores snapshots with etcdutl, bumping the revision and marking it compacted by default', async () => {
    expect(await call('etcd.snapshot-save', { endpoints: etcd.endpoint, file: 'snap.db' })).toMatchObject({
      passed: true,
    });
    const status = await call('etcd.snapshot-status', { file: 'snap.db' });
    expect(status).toMatchObject({ passed: true, result: { tool: 'etcdutl' } });

    const restore = await call('etcd.snapshot-restore', {
      file: 'snap.db',
      initialCluster: 'ip-10-0-0-1.ec2.internal=http://127.0.0.1:2380',
      dataDirRoot: 'restored',
      endpoints: etcd.endpoint,
    });
    expect(restore).toMatchObject({
      passed: true,
      result: {
        tool: 'etcdutl',
        bumpRevision: BUMP,
        markCompacted: true,
        toolVersion: expect.stringMatching(/^3\.5\./),
        clusterVersion: expect.stringMatching(/^3\.5\./),
        snapshotVersion: '3.5.0',
      },
    });

    restored = await startEtcdIn({
      dataDir: path.join(dir, 'restored', 'ip-10-0-0-1.ec2.internal.etcd'),
      name: 'ip-10-0-0-1.ec2.internal',
      initialCluster: 'ip-10-0-0-1.ec2.internal=http://127.0.0.1:2380',
    });
    const count = await call('etcd.key-count', {
      endpoints: restored.endpoint,
      prefix: '/registry/lifeboat/',
    });
    expect(count).toMatchObject({ passed: true, result: { count: 500 } });
  });

  it('refuses a snapshot and a cluster of etcd 3.4 before writing anything, naming the versions', async () => {
    const input = {
      file: 'from-3.4.db',
      initialCluster: 'm1=http://127.0.0.1:2380',
      dataDirRoot: 'mismatch',
    };
    const offline = await call('etcd.snapshot-restore', input);
    expect(offline).toMatchObject({
      passed: false,
      error: expect.stringMatching(
        /^etcdutl 3\.5\.\d+ cannot restore this snapshot: the snapshot was written by etcd 3\.4; restore with the etcd tools of the cluster's own major\.minor \(nothing was changed\)$/,
      ),
    });
    const online = await call('etcd.snapshot-restore', { ...input, endpoints: etcd34?.endpoint });
    expect(online.error).toContain(
      `${etcd34?.endpoint} runs etcd 3.4.23, the snapshot was written by etcd 3.4`,
    );
    expect(await readdir(path.join(dir, 'mismatch')).catch(() => [])).toEqual([]);
  });
});
