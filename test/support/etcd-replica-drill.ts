import { expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncidentState } from '../../src/domain/incident.js';
import { startEtcdReplicaLab, type EtcdReplicaLab } from './etcd-replicas.js';
import type { Replica } from './fleet.js';

/**
 * The shipped etcd drill driven through Slack over replica processes (test/chaos/etcd-drill-replicas*):
 * one file per scenario, so the scenarios run on separate workers.
 */
export const KEYS = 2000;
const RUNBOOK = 'etcd-snapshot-restore';
export const STEPS = [
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
export type StepId = (typeof STEPS)[number];
/** What a step's failure says when a file an earlier step wrote is not where it runs. */
export const MISSING_FILE = /does not exist|no such file|ENOENT|could not bring|could not save/i;

export const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
/** Where a replica keeps an incident's files (src/engine/executor.ts's workdirOf). */
const filesOf = (lab: EtcdReplicaLab, replica: string, incidentId: string) =>
  path.join(lab.fleet.workdir(replica), incidentId.replace(/[^A-Za-z0-9_-]/g, '_'));

/** What the people on the node do when the runbook says so. */
const manualWork = (
  lab: EtcdReplicaLab,
): Partial<Record<StepId, (state: IncidentState) => Promise<void>>> => ({
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
});

/** One drill of the shipped runbook through Slack; `runOn` names the only replica awake for each step. */
export async function drill(
  lab: EtcdReplicaLab,
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
    const work = manualWork(lab)[id];
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
export async function countsOf(lab: EtcdReplicaLab, incidentId: string) {
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

export const changes = (runners: readonly string[]) =>
  runners.slice(1).filter((r, i) => r !== runners[i]).length;

/** The sha256 of the snapshot in a replica's own workdir for the incident, or undefined when it has none. */
export async function snapshotIn(
  lab: EtcdReplicaLab,
  replica: string,
  incidentId: string,
): Promise<string | undefined> {
  const file = path.join(filesOf(lab, replica, incidentId), 'snapshot.db');
  return (await exists(file))
    ? createHash('sha256')
        .update(await readFile(file))
        .digest('hex')
    : undefined;
}

/** The lab for one scenario, in a channel of its own. */
export const startDrillLab = (replicas: readonly string[], channel: string): Promise<EtcdReplicaLab> =>
  startEtcdReplicaLab({ replicas, channels: [channel], keys: KEYS, leaseSeconds: 5 });
