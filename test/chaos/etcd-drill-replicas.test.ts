import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncidentState } from '../../src/domain/incident.js';
import { contentOf } from '../support/etcd-member.js';
import { startEtcdReplicaLab, type EtcdReplicaLab } from '../support/etcd-replicas.js';
import type { Replica } from '../support/fleet.js';
import { recordReliability } from '../support/reliability.js';

const KEYS = 2000;
const RUNBOOK = 'etcd-snapshot-restore';
const ROTATING = 'C0DRILLROTATE';
const KILLED = 'C0DRILLKILLED';
const STEPS = [
  'download',
  'integrity',
  'stop-apiservers',
  'restore-members',
  'install-data-dirs',
  'start-apiservers',
  'restart-controllers',
  'restart-kubelets',
  'webhooks-clear',
  'workloads-running',
  'smoke',
] as const;
type StepId = (typeof STEPS)[number];
/** What a step's failure says when a file an earlier step wrote is not where it runs. */
const MISSING_FILE = /does not exist|no such file|ENOENT|could not bring|could not save/i;

let lab: EtcdReplicaLab;
beforeAll(async () => {
  lab = await startEtcdReplicaLab({
    // r4 is the pod that replaces a dead one, started early: frozen until the second drill needs it.
    replicas: ['r1', 'r2', 'r3', 'r4'],
    channels: [ROTATING, KILLED],
    keys: KEYS,
    leaseSeconds: 5,
  });
}, 90_000);
afterAll(() => lab?.stop());

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
/** Where a replica keeps an incident's files (src/engine/executor.ts's workdirOf). */
const filesOf = (replica: string, incidentId: string) =>
  path.join(lab.fleet.workdir(replica), incidentId.replace(/[^A-Za-z0-9_-]/g, '_'));

/** What the people on the node do when the runbook says so. */
const manualWork: Partial<Record<StepId, (state: IncidentState) => Promise<void>>> = {
  'stop-apiservers': async () => {
    await lab.member.stop();
    await lab.api.stop();
    lab.app.up = false;
  },
  'install-data-dirs': async (state) => {
    // The restored dir as the step reported it, on the replica that ran the restore.
    const dataDirs = state.steps['restore-members']?.result?.dataDirs as Record<string, string>;
    const restored = dataDirs[lab.member.name] ?? '';
    const kept = `${lab.member.dataDir}.before-restore`;
    await rm(kept, { recursive: true, force: true });
    if (await exists(lab.member.dataDir)) await rename(lab.member.dataDir, kept);
    await rename(restored, lab.member.dataDir);
    await lab.member.start();
  },
  'start-apiservers': async () => {
    await lab.api.start();
    lab.app.up = true;
  },
  // The restarted leaders and kubelets renew their Leases from now on.
  'restart-controllers': () => {
    lab.api.heartbeats.add('kube-system/kube-controller-manager');
    lab.api.heartbeats.add('kube-system/kube-scheduler');
    return Promise.resolve();
  },
  'restart-kubelets': () => {
    lab.api.heartbeats.add('kube-node-lease/cp-1');
    lab.api.heartbeats.add('kube-node-lease/worker-1');
    return Promise.resolve();
  },
};

/** One drill of the shipped runbook through Slack; `runOn` names the only replica awake for each step. */
async function drill(
  channel: string,
  runOn: (step: StepId, ran: readonly string[], incidentId: string) => Promise<string>,
): Promise<{ incidentId: string; runners: string[]; thread: () => string }> {
  const { fleet } = lab;
  const cardText = () => JSON.stringify(fleet.card(channel)?.blocks ?? []);
  const card = () => fleet.until(() => fleet.card(channel), 'the card');
  let live: Replica = await lab.only(fleet.replicas()[0]!.name);
  await live.slack.command('UALICE', `drill ${RUNBOOK}`, { channel });
  await fleet.until(() => cardText().includes('Set parameters'), 'the parameters button');
  await live.slack.click('UALICE', await card(), 'Set parameters');
  const modal = await fleet.until(
    () => fleet.emulator.views('UALICE').findLast((v) => v.state === 'open'),
    'the parameters modal',
  );
  await live.slack.submitView('UALICE', modal, lab.params);
  const incidentId = await fleet.until(() => fleet.store.openIncidentIn(channel), 'the incident');
  const state = (what: string, check: (s: IncidentState) => boolean) =>
    fleet.until(
      async () => {
        const current = await lab.state(incidentId);
        return current && check(current) && current;
      },
      what,
      60_000,
    );
  const preflight = await state('the prerequisite checks', (s) => s.preflight !== undefined);
  expect(preflight.preflight).toMatchObject({ passed: true, failed: [] });

  const runbook = preflight.runbook;
  const runners: string[] = [];
  for (const id of STEPS) {
    const step = runbook?.steps.find((s) => s.id === id);
    // The replica awake until now first shows the step on the card: a frozen one finishes nothing.
    await fleet.until(
      () => cardText().includes(`Next: ${step?.title ?? id}`) && cardText().includes('"Run"'),
      `${id} ready to run`,
    );
    live = await lab.only(await runOn(id, runners, incidentId));
    await live.slack.click('UALICE', await card(), 'Run');
    if (step?.destructive) {
      await fleet.until(() => cardText().includes('"Approve"'), `${id} asking for approval`);
      await live.slack.click('UBOB', await card(), 'Approve');
    }
    const work = manualWork[id];
    if (work) {
      await fleet.until(() => cardText().includes('"Done"'), `${id} waiting for its manual work`);
      await work(await state(`${id} running`, (s) => s.steps[id]?.status === 'running'));
      await live.slack.click('UALICE', await card(), 'Done');
    }
    const finished = await state(
      `${id} to finish`,
      (s) => s.steps[id]?.status === 'passed' || s.steps[id]?.status === 'failed',
    );
    expect({ id, status: finished.steps[id]?.status, error: finished.steps[id]?.error }).toEqual({
      id,
      status: 'passed',
      error: undefined,
    });
    runners.push((await lab.runnerOf(incidentId, id)) ?? 'nobody');
  }
  await fleet.until(() => cardText().includes('"Resolve"'), 'the Resolve button');
  await live.slack.click('UALICE', await card(), 'Resolve');
  const thread = () =>
    fleet
      .thread(channel)
      .map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`)
      .join('\n');
  await fleet.until(() => thread().includes('Drill passed'), '"Drill passed" in the thread', 30_000);
  return { incidentId, runners, thread };
}

/** The reliability row's counts, from the store: steps not passed, re-runs, events never posted to the thread. */
async function countsOf(incidentId: string) {
  const state = await lab.state(incidentId);
  const { events } = await lab.fleet.store.read(incidentId);
  const { posted } = await lab.fleet.store.outbox(incidentId);
  const steps = STEPS.map((id) => state?.steps[id]);
  return {
    failures: steps.filter((s) => s?.status !== 'passed').length,
    duplicateExecutions: steps.reduce((sum, s) => sum + Math.max(0, (s?.attempt ?? 1) - 1), 0),
    lostEvents: events.length - posted,
  };
}

const changes = (runners: readonly string[]) => runners.slice(1).filter((r, i) => r !== runners[i]).length;

/** The sha256 of the snapshot in a replica's own workdir for the incident, or undefined when it has none. */
async function snapshotIn(replica: string, incidentId: string): Promise<string | undefined> {
  const file = path.join(filesOf(replica, incidentId), 'snapshot.db');
  return (await exists(file))
    ? createHash('sha256')
        .update(await readFile(file))
        .digest('hex')
    : undefined;
}

describe('the etcd drill over three bot processes with a workdir each, files kept in the step-file store', () => {
  it('passes with every step on a different replica than the step before, each finding the files it reads', async () => {
    // The disaster: the member's data dir is wiped under the running etcd.
    await rm(lab.member.dataDir, { recursive: true, force: true });
    const rotation = ['r1', 'r2', 'r3'];
    const snapshots: (string | undefined)[] = [];
    const { incidentId, runners, thread } = await drill(ROTATING, async (step, ran, id) => {
      // Once integrity has run: the snapshot it checked is in its runner's workdir, the same as download wrote.
      if (step === 'stop-apiservers')
        snapshots.push(...(await Promise.all(ran.map((replica) => snapshotIn(replica, id)))));
      return rotation[ran.length % rotation.length]!;
    });

    // Each step ran on the replica that was awake for it: the claim in Redis names it.
    expect(runners).toEqual(STEPS.map((_, i) => rotation[i % rotation.length]));
    expect(changes(runners)).toBe(STEPS.length - 1);
    const downloaded = (await lab.state(incidentId))?.steps.download?.result?.sha256;
    expect(snapshots).toEqual([downloaded, downloaded]);
    expect(downloaded).toMatch(/^[0-9a-f]{64}$/);
    expect(thread()).not.toMatch(MISSING_FILE);
    const after = await contentOf(lab.member.clientUrl);
    expect(after).toEqual(lab.before);
    expect(after.count).toBe(KEYS);
    const state = await lab.state(incidentId);
    expect(state?.steps['install-data-dirs']?.evidence).toMatchObject([
      { title: 'Every etcd endpoint is healthy', passed: true },
      { title: 'etcd holds as many keys as the snapshot', passed: true, result: { count: KEYS } },
    ]);
    recordReliability({
      scenario: 'etcd drill over 3 replicas, each step on another replica than the one before',
      runs: 1,
      ...(await countsOf(incidentId)),
      note: `runners ${runners.join(' → ')}; own workdir each, step files in s3rver; ${after.count} of ${KEYS} keys back`,
    });
  }, 180_000);

  it('still passes when the replica that downloaded the snapshot is killed with its workdir: the next steps take the files from the store', async () => {
    await rm(lab.member.dataDir, { recursive: true, force: true });
    let killed = '';
    const seenByR4: (string | undefined)[] = [];
    // After the kill, integrity first runs on r4, the replacement pod, then r2 and r3 take turns with it.
    const after = ['r4', 'r2', 'r3'];
    const { incidentId, runners, thread } = await drill(KILLED, async (step, ran, id) => {
      if (step === 'download') return 'r1';
      if (step === 'integrity') {
        // kill -9 the only replica that holds snapshot.db; its pod's emptyDir goes with it.
        killed = ran[0]!;
        await lab.fleet.kill(killed);
        await rm(lab.fleet.workdir(killed), { recursive: true, force: true });
      }
      // r4's workdir before integrity, and after it.
      if (step === 'integrity' || step === 'stop-apiservers') seenByR4.push(await snapshotIn('r4', id));
      return after[(ran.length - 1) % after.length]!;
    });

    expect(killed).toBe('r1');
    expect(runners).toEqual(['r1', ...STEPS.slice(1).map((_, i) => after[i % after.length])]);
    expect(changes(runners)).toBe(STEPS.length - 1);
    const downloaded = (await lab.state(incidentId))?.steps.download?.result?.sha256;
    expect(seenByR4).toEqual([undefined, downloaded]);
    expect(thread()).not.toMatch(MISSING_FILE);
    // Nobody was told to re-run download: every step passed on its first attempt.
    expect(thread()).not.toMatch(/interrupted|Retry/);
    const restored = await contentOf(lab.member.clientUrl);
    expect(restored).toEqual(lab.before);
    recordReliability({
      scenario: 'etcd drill: kill -9 the replica holding the snapshot (and its workdir) mid-runbook',
      runs: 1,
      ...(await countsOf(incidentId)),
      note: `runners ${runners.join(' → ')}; the files came from s3rver; ${restored.count} of ${KEYS} keys back`,
    });
  }, 180_000);
});
