/**
 * A whole etcd cluster lost and rebuilt from one snapshot, with Debian's etcd 3.4 (on PATH) and 3.5
 * (LIFEBOAT_ETCD35_BIN), through the real etcd.snapshot-restore action: three members on loopback,
 * keys, a watch opened before the loss (an informer), snapshot, writes the snapshot misses, every
 * member killed and wiped, every member restored from the one snapshot, started again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { etcdActions } from '../../src/actions/etcd/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { runCall } from '../../src/engine/run-call.js';
import { etcd35Bin, pathWith, putKeys } from '../support/etcd.js';
import { EtcdMember } from '../support/etcd-member.js';
import { eventually } from '../support/eventually.js';

const KEYS = 300;
const PREFIX = '/registry/restore-test/key-';
const BUMP = 1_000_000_000;

type Case = {
  readonly etcd: '3.4' | '3.5';
  readonly bin: () => string | undefined;
  readonly tool: 'etcdctl' | 'etcdutl';
  /** The runbook's `with`: 3.4 cannot bump, so only an explicit 0 restores there. */
  readonly bumpRevision?: 0;
};

const CASES: readonly Case[] = [
  { etcd: '3.4', bin: () => undefined, tool: 'etcdctl', bumpRevision: 0 },
  { etcd: '3.5', bin: etcd35Bin, tool: 'etcdutl' },
];

const registry = createRegistry(etcdActions());

const ctl = (endpoints: readonly string[], args: readonly string[]) =>
  execa('etcdctl', [`--endpoints=${endpoints.join(',')}`, ...args], { env: { ETCDCTL_API: '3' } });

type Status = {
  Endpoint: string;
  Status: { header: { cluster_id: number; revision: number }; version: string };
};
async function statusOf(endpoints: readonly string[]): Promise<Status[]> {
  // cluster_id is a uint64: read it as text, not as a rounded JS number.
  const { stdout } = await ctl(endpoints, ['endpoint', 'status', '-w', 'json']);
  return JSON.parse(stdout.replace(/"cluster_id":(\d+)/g, '"cluster_id":"$1"')) as Status[];
}

describe.each(CASES)('etcd $etcd: a three-member cluster restored from one snapshot', (version) => {
  let dir = '';
  let members: EtcdMember[] = [];
  let restorePath: () => void = () => undefined;
  let watch: ResultPromise | undefined;
  const endpoints = () => members.map((member) => member.clientUrl);
  const call = (action: string, input: Record<string, unknown>) =>
    runCall(registry, { action, with: input, timeout: '60s' }, () => undefined, {
      incidentId: `inc-restore-${version.etcd}`,
      workdir: dir,
      signal: new AbortController().signal,
      progress: () => undefined,
      cluster: () => undefined,
    });

  beforeAll(async () => {
    restorePath = pathWith(version.bin());
    dir = await mkdtemp(path.join(os.tmpdir(), `lifeboat-restore-${version.etcd}-`));
    members = await EtcdMember.cluster({ size: 3, root: path.join(dir, 'node') });
    await Promise.all(members.map((member) => member.start()));
  }, 30_000);

  afterAll(async () => {
    watch?.kill('SIGKILL');
    await watch?.catch(() => undefined);
    await Promise.all(members.map((member) => member.stop()));
    restorePath();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every key, makes one new cluster, and (3.5) moves the revision past every watcher', async () => {
    const [running] = await statusOf(endpoints());
    expect(running?.Status.version).toMatch(new RegExp(`^${version.etcd.replace('.', '\\.')}\\.`));
    const oldCluster = running?.Status.header.cluster_id;
    // The baseline: the cluster's own keys (members, meta) after its first write.
    await putKeys(members[0]?.clientUrl ?? '', '/baseline/first-', 1);
    const empty = await call('etcd.snapshot-save', { endpoints: endpoints(), file: 'empty.db' });
    const emptyStatus = await call('etcd.snapshot-status', { file: 'empty.db' });
    expect([empty.error, emptyStatus.error]).toEqual([undefined, undefined]);
    const watchFrom = (running?.Status.header.revision ?? 0) + 2;
    await putKeys(members[0]?.clientUrl ?? '', PREFIX, KEYS);
    // An informer: watching from before the keys, it sees every write up to the loss.
    watch = execa(
      'etcdctl',
      [`--endpoints=${endpoints().join(',')}`, 'watch', '--prefix', `--rev=${watchFrom}`, PREFIX],
      { env: { ETCDCTL_API: '3' }, reject: false, all: true, stdin: 'ignore', buffer: false },
    );
    let seen = '';
    watch.stdout?.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const watchOutput = () => seen;

    expect(await call('etcd.snapshot-save', { endpoints: endpoints(), file: 'snapshot.db' })).toMatchObject({
      passed: true,
    });
    const status = await call('etcd.snapshot-status', { file: 'snapshot.db' });
    expect(status).toMatchObject({ passed: true, result: { tool: version.tool } });
    const snapshotRevision = Number(status.result.revision);
    // Each key was put once, so the snapshot holds one key-bucket entry per key over the empty cluster's.
    const keysInSnapshot = Number(status.result.totalKey) - Number(emptyStatus.result.totalKey);
    expect(keysInSnapshot).toBe(KEYS);
    // Writes the snapshot misses: the watcher sees revisions the restored cluster will not have.
    await putKeys(members[0]?.clientUrl ?? '', `${PREFIX}lost-`, 5);
    const [beforeLoss] = await statusOf(endpoints());
    const lastSeen = beforeLoss?.Status.header.revision ?? 0;
    await eventually(
      () => Promise.resolve(watchOutput().includes(`${PREFIX}lost-4`)),
      'the watcher to see the last write',
    );

    await Promise.all(members.map((member) => member.stop()));
    await Promise.all(members.map((member) => rm(member.dataDir, { recursive: true, force: true })));

    const restore = await call('etcd.snapshot-restore', {
      file: 'snapshot.db',
      initialCluster: members[0]?.initialCluster,
      dataDirRoot: 'restored',
      endpoints: endpoints(),
      ...(version.bumpRevision === undefined ? {} : { bumpRevision: version.bumpRevision }),
    });
    expect(restore).toMatchObject({
      passed: true,
      result: {
        tool: version.tool,
        bumpRevision: version.bumpRevision ?? BUMP,
        markCompacted: version.bumpRevision === undefined,
        snapshotVersion: `${version.etcd}.0`,
        versionEvidence: [
          expect.stringContaining('cluster: no member answered endpoint status'),
          `snapshot: written by an etcd ${version.etcd} cluster (its stored cluster version)`,
        ],
      },
    });
    const dataDirs = restore.result.dataDirs as Record<string, string>;
    for (const member of members) await rename(dataDirs[member.name] ?? '', member.dataDir);
    await Promise.all(members.map((member) => member.start()));

    const restored = await statusOf(endpoints());
    const clusters = new Set(restored.map((member) => member.Status.header.cluster_id));
    expect(clusters.size).toBe(1);
    expect(clusters.has(oldCluster ?? 0)).toBe(false);
    const revision = Math.min(...restored.map((member) => member.Status.header.revision));
    expect(
      await call('etcd.key-count', { endpoints: endpoints(), prefix: '/registry/restore-test/' }),
    ).toMatchObject({ passed: true, result: { count: keysInSnapshot } });

    if (version.bumpRevision === 0) {
      // Without the bump the revision went backwards past what the watcher saw (kubernetes#107457).
      expect(revision).toBe(snapshotRevision);
      expect(revision).toBeLessThan(lastSeen);
      return;
    }
    expect(revision).toBeGreaterThanOrEqual(snapshotRevision + BUMP);
    // An informer whose watch broke with the cluster resumes from the last revision it saw, which
    // --mark-compacted made compacted: etcd tells it to re-list instead of leaving it stale.
    const resumed = await ctl(endpoints(), ['watch', '--prefix', `--rev=${lastSeen + 1}`, PREFIX]).catch(
      (error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }),
    );
    expect(resumed.stderr).toContain('required revision has been compacted');
  }, 60_000);
});
