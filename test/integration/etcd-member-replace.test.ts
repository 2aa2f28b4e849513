/**
 * One member of three lost and replaced, with Debian's etcd 3.4 (on PATH) and 3.5
 * (LIFEBOAT_ETCD35_BIN), through the real actions: the probe reads "degraded" (quorum held, the
 * member named) and the shipped tree suggests etcd-member-replace, not the snapshot restore; the
 * member is removed, its data dir wiped, added back, started with --initial-cluster-state existing
 * and catches up to equal revisions. Endpoints nobody can reach read "unknown" and suggest nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { etcdActions } from '../../src/actions/etcd/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { readProbe } from '../../src/domain/probe.js';
import { suggestedOption, type DecisionTree } from '../../src/domain/tree.js';
import { runCall } from '../../src/engine/run-call.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { etcd35Bin, freePort, getValue, pathWith, putKeys } from '../support/etcd.js';
import { EtcdMember } from '../support/etcd-member.js';

const CASES = [
  { etcd: '3.4', bin: (): string | undefined => undefined },
  { etcd: '3.5', bin: etcd35Bin },
] as const;

const registry = createRegistry(etcdActions());
let tree: DecisionTree | undefined;

beforeAll(async () => {
  tree = (await loadRunbooks(path.resolve('runbooks'))).defaultTree?.tree;
});

/** What the shipped tree's etcd question suggests for this probe call: the runbook id, or undefined. */
function suggestion(outcome: Parameters<typeof readProbe>[0]): string | undefined {
  const node = tree?.nodes['etcd-state'];
  if (!node) throw new Error('the shipped decision tree has no etcd-state question');
  const index = suggestedOption(node, readProbe(outcome));
  return index === undefined ? undefined : node.options[index]?.runbook;
}

describe.each(CASES)('etcd $etcd: one member of three replaced', (version) => {
  let dir = '';
  let members: EtcdMember[] = [];
  let restorePath: () => void = () => undefined;
  const endpoints = () => members.map((member) => member.clientUrl);
  const call = (action: string, input: Record<string, unknown>) =>
    runCall(registry, { action, with: input, timeout: '60s' }, () => undefined, {
      incidentId: `inc-member-${version.etcd}`,
      workdir: dir,
      signal: new AbortController().signal,
      progress: () => undefined,
      cluster: () => undefined,
    });
  const member = (i: number): EtcdMember => {
    const found = members[i];
    if (!found) throw new Error(`no member ${i}`);
    return found;
  };

  beforeAll(async () => {
    restorePath = pathWith(version.bin());
    dir = await mkdtemp(path.join(os.tmpdir(), `lifeboat-member-${version.etcd}-`));
    members = await EtcdMember.cluster({ size: 3, root: path.join(dir, 'node') });
    await Promise.all(members.map((m) => m.start()));
    await putKeys(member(0).clientUrl, '/registry/before/key-', 50);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(members.map((m) => m.stop()));
    restorePath();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads all three members healthy, and suggests control-plane recovery', async () => {
    const health = await call('etcd.endpoint-health', { endpoints: endpoints() });
    expect(health.result).toMatchObject({ healthy: true, verdict: 'healthy', quorum: true, downCount: 0 });
    expect(suggestion(health)).toBe('control-plane-recovery');
  });

  it('reads one dead member as degraded with quorum, names it, and suggests the replacement, not a restore', async () => {
    await member(1).stop();
    const health = await call('etcd.endpoint-health', { endpoints: endpoints() });
    expect(health).toMatchObject({
      completed: true,
      passed: false,
      result: {
        healthy: false,
        verdict: 'degraded',
        quorum: true,
        downCount: 1,
        down: 'm2',
        downPeerUrls: member(1).peerUrl,
      },
    });
    expect(String(health.result.why)).toContain('quorum held by 2 of 3 members');
    expect(readProbe(health)).toMatchObject({ verdict: 'degraded' });
    expect(suggestion(health)).toBe('etcd-member-replace');
  }, 30_000);

  it('removes it, adds it back on an empty data dir, and it catches up to equal revisions', async () => {
    const removed = await call('etcd.member-remove', { endpoints: endpoints(), member: 'm2' });
    expect(removed).toMatchObject({ passed: true, result: { name: 'm2', remaining: 2 } });
    const afterRemove = await call('etcd.member-list', { endpoints: endpoints() });
    expect(afterRemove.result).toMatchObject({ count: 2, names: 'm1,m3' });
    // Written while m2 is gone: it must arrive by catching up, not from its old data.
    await putKeys(member(0).clientUrl, '/registry/while-away/key-', 20);
    await rm(member(1).dataDir, { recursive: true, force: true });

    const added = await call('etcd.member-add', {
      endpoints: endpoints(),
      name: 'm2',
      peerUrls: member(1).peerUrl,
    });
    expect(added).toMatchObject({
      passed: true,
      result: { name: 'm2', initialClusterState: 'existing', adopted: false },
    });
    const initialCluster = String(added.result.initialCluster);
    expect(initialCluster.split(',').sort()).toEqual(member(0).initialCluster.split(',').sort());
    expect((await call('etcd.member-list', { endpoints: endpoints() })).result).toMatchObject({
      count: 3,
      started: 2,
      unstarted: 1,
    });
    // A retry of the step (an interrupted run) adopts the member it added instead of failing.
    const again = await call('etcd.member-add', {
      endpoints: endpoints(),
      name: 'm2',
      peerUrls: [member(1).peerUrl],
    });
    expect(again.result).toMatchObject({ id: added.result.id, adopted: true });

    await member(1).start(20_000, { initialCluster });
    const status = await call('etcd.endpoint-status', { endpoints: endpoints(), within: '30s' });
    expect(status.result).toMatchObject({ allAnswered: true, answered: 3, revisionSpread: 0, level: true });
    const revisions = (status.result.endpoints as { revision: number }[]).map((e) => e.revision);
    expect(new Set(revisions).size).toBe(1);
    expect(await getValue(member(1).clientUrl, '/registry/while-away/key-19')).toBe('value-19');
    expect(await getValue(member(1).clientUrl, '/registry/before/key-0')).toBe('value-0');

    const health = await call('etcd.endpoint-health', { endpoints: endpoints() });
    expect(health.result).toMatchObject({ verdict: 'healthy', healthy: true, downCount: 0 });
    expect((await call('etcd.member-list', { endpoints: endpoints() })).result).toMatchObject({
      count: 3,
      started: 3,
      unstarted: 0,
      names: expect.stringContaining('m2'),
    });
  }, 60_000);

  it('refuses to remove a member etcd does not have, naming the ones it has', async () => {
    const outcome = await call('etcd.member-remove', { endpoints: endpoints(), member: 'm9' });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/etcd has no member m9 \(members: .*m1 [0-9a-f]+/);
  });

  it('reads two dead members of three as unhealthy: quorum lost, a definite answer', async () => {
    await Promise.all([member(1).stop(), member(2).stop()]);
    const health = await call('etcd.endpoint-health', { endpoints: endpoints() });
    expect(health.result).toMatchObject({ verdict: 'unhealthy', quorum: false, downCount: 3 });
    expect(String(health.result.why)).toContain('quorum lost: 1 of 3 members answer');
    expect(suggestion(health)).toBe('etcd-snapshot-restore');
    await Promise.all([member(1).start(), member(2).start()]);
  }, 40_000);
});

describe('etcd endpoints nobody can reach', () => {
  const call = (action: string, input: Record<string, unknown>) =>
    runCall(registry, { action, with: input, timeout: '60s' }, () => undefined, {
      incidentId: 'inc-unreachable',
      workdir: os.tmpdir(),
      signal: new AbortController().signal,
      progress: () => undefined,
      cluster: () => undefined,
    });

  it('reads unknown, says why, and the tree suggests nothing, least of all the snapshot restore', async () => {
    // Closed loopback ports (refused) and TEST-NET-1 (RFC 5737: routed nowhere, like a firewalled 2379).
    const endpoints = [
      `http://127.0.0.1:${await freePort()}`,
      `http://127.0.0.1:${await freePort()}`,
      'http://192.0.2.1:2379',
    ];
    const health = await call('etcd.endpoint-health', { endpoints });
    expect(health.result).toMatchObject({ verdict: 'unknown', healthy: false });
    expect(health.result.quorum).toBeUndefined();
    const reading = readProbe(health);
    expect(reading.verdict).toBe('unknown');
    expect(reading.why).toContain('no etcd endpoint answered from where Lifeboat runs');
    expect(suggestion(health)).toBeUndefined();
  }, 30_000);

  it('reads unknown when etcdctl is not there at all', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const health = await call('etcd.endpoint-health', { endpoints: ['http://127.0.0.1:2379'] });
      expect(health.completed).toBe(false);
      expect(readProbe(health)).toEqual({ verdict: 'unknown', why: 'etcdctl not found on PATH' });
      expect(suggestion(health)).toBeUndefined();
    } finally {
      process.env.PATH = saved;
    }
  });
});
