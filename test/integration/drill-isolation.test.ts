import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { LifeboatConfig } from '../../src/domain/config.js';
import { drillClustersOf, drillRefusal, type DrillClusters } from '../../src/domain/drill.js';
import { bindingOf } from '../../src/domain/binding.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import { replay } from '../../src/domain/incident.js';
import { Runbook } from '../../src/domain/runbook.js';
import { Executor } from '../../src/engine/executor.js';
import { handle } from '../../src/engine/handle.js';
import { Reactor } from '../../src/engine/reactor.js';
import { eventually } from '../support/eventually.js';
import { recordReliability } from '../support/reliability.js';
import { alice, bob, envelope, T0 } from '../support/incident-fixtures.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { deployment } from '../../src/sandbox/k8s/objects.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';

/** A failover rehearsal: scale the primary down, the standby up; it names both production clusters. */
const FAILOVER = Runbook.parse({
  apiVersion: 'lifeboat/v1',
  kind: 'Runbook',
  id: 'failover-rehearsal',
  title: 'Failover rehearsal',
  scenario: 'tests',
  targets: { rto: '30m', rpo: '1h' },
  steps: [
    {
      id: 'fence',
      title: 'Scale the primary to 0',
      action: 'k8s.scale',
      destructive: true,
      with: { cluster: 'primary', namespace: 'payments', name: 'web', replicas: 0 },
    },
    {
      id: 'promote',
      title: 'Scale the standby up',
      action: 'k8s.scale',
      destructive: true,
      with: { cluster: 'standby', namespace: 'payments', name: 'web', replicas: 3 },
      restoresService: true,
    },
  ],
});

const CLUSTERS = {
  primary: { context: 'prod' },
  standby: { context: 'standby' },
  drill: { context: 'drill' },
};
const apis: Record<string, K8sEmulator> = {};
beforeAll(async () => {
  for (const context of Object.keys(CLUSTERS)) {
    const api = await K8sEmulator.create();
    api.state.add('deployments', deployment('payments', 'web', { replicas: 2 }));
    apis[context === 'primary' ? 'prod' : context] = api;
  }
});
afterAll(async () => {
  await Promise.all(Object.values(apis).map((api) => api.close()));
});

const writes = (context: string): string[] =>
  (apis[context]?.requests ?? []).filter((line) => !line.startsWith('GET '));

/** Runs the rehearsal as a drill through the real executor; returns the events. */
async function drill(mapping: DrillClusters): Promise<IncidentEvent[]> {
  const prefix = testPrefix();
  const store = redisStore(prefix);
  const workdirRoot = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-drill-'));
  const registry = createRegistry(
    kubernetesActions((target) => {
      const api = apis[target.context];
      if (!api) throw new Error(`no emulator for ${target.context}`);
      return api.kubeConfig(target);
    }),
  );
  const executor = new Executor({
    store,
    registry,
    owner: 'r1',
    leaseMs: 2000,
    workdirRoot,
    clusters: CLUSTERS,
    drillClusters: mapping,
  });
  const reactor = new Reactor({
    store,
    group: 'executor',
    consumer: 'r1',
    handle: (e) => executor.onFeedEntry(e),
    blockMs: 100,
  });
  reactor.start();
  try {
    const run = (actor: typeof alice, command: Parameters<typeof handle>[1]['command']) =>
      handle(store, envelope('d1', actor, T0, command));
    await run(alice, {
      type: 'Declare',
      mode: 'drill',
      summary: 'rehearsal',
      channel: 'C1',
      runbook: { runbook: FAILOVER, hash: 'h' },
    });
    const read = async () => replay('d1', (await store.read('d1')).events);
    await eventually(async () => (await read())?.status === 'running', 'the drill to start');
    for (const step of FAILOVER.steps) {
      await run(alice, { type: 'Request', step: step.id, gate: 'run' });
      const state = await read();
      if (!state) throw new Error('no state');
      await run(bob, { type: 'Approve', step: step.id, gate: 'run', binding: bindingOf(state, step, 'run') });
      await eventually(
        async () => ['passed', 'failed'].includes((await read())?.steps[step.id]?.status ?? ''),
        `${step.id} to finish`,
      );
    }
    return [...(await store.read('d1')).events];
  } finally {
    await reactor.stop();
    await executor.idle();
    await store.close();
    await deletePrefix(prefix);
    await rm(workdirRoot, { recursive: true, force: true });
  }
}

describe('a drill reaches only drill clusters', () => {
  it('with every production cluster mapped: all writes go to the drill cluster, none to primary or standby', async () => {
    const events = await drill({ primary: 'drill', standby: 'drill' });
    expect(
      events.filter((e) => e.type === 'StepFinished').map((e) => e.type === 'StepFinished' && e.passed),
    ).toEqual([true, true]);
    recordReliability({
      scenario: 'a drill of a runbook that scales primary and standby (3 emulated clusters)',
      runs: 1,
      failures: writes('prod').length + writes('standby').length > 0 ? 1 : 0,
      lostEvents: 0,
      duplicateExecutions: 0,
      note: `write requests: primary ${writes('prod').length}, standby ${writes('standby').length}, drill ${writes('drill').length}`,
    });
    expect(writes('prod')).toEqual([]);
    expect(writes('standby')).toEqual([]);
    expect(writes('drill').length).toBeGreaterThanOrEqual(2);
  });

  it('with standby unmapped the drill is refused before it starts, naming the config key; run anyway, it still cannot write to standby', async () => {
    expect(drillRefusal(FAILOVER, { primary: 'drill' })).toMatch(/standby.*drills\.clusters\.standby/);
    const before = writes('standby').length;
    const events = await drill({ primary: 'drill' });
    const promote = events.find((e) => e.type === 'StepFinished' && e.step === 'promote');
    expect(promote).toMatchObject({ passed: false });
    expect(writes('standby').length).toBe(before);
    expect(writes('prod')).toEqual([]);
  });

  it('with no drill cluster at all, a drill is refused', () => {
    expect(drillRefusal(FAILOVER, drillClustersOf({ clusters: {} }))).toMatch(
      /No drill cluster is configured/,
    );
  });
});

describe('drill clusters in the config', () => {
  it('a misspelt drill cluster, or a production name as its own stand-in, is a config error naming the key', () => {
    const typo = LifeboatConfig.safeParse({ clusters: CLUSTERS, drills: { cluster: 'dril' } });
    expect(typo.success).toBe(false);
    expect(typo.error?.issues[0]).toMatchObject({
      path: ['drills', 'cluster'],
      message: expect.stringMatching(/clusters\.dril/),
    });
    const self = LifeboatConfig.safeParse({
      clusters: CLUSTERS,
      drills: { clusters: { primary: 'drill', standby: 'primary' } },
    });
    expect(self.error?.issues[0]).toMatchObject({ path: ['drills', 'clusters', 'standby'] });
    expect(
      drillClustersOf(
        LifeboatConfig.parse({
          clusters: CLUSTERS,
          drills: { cluster: 'drill', clusters: { standby: 'drill' } },
        }).drills,
      ),
    ).toEqual({
      primary: 'drill',
      standby: 'drill',
    });
  });
});
