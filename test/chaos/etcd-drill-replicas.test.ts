import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { contentOf } from '../support/etcd-member.js';
import type { EtcdReplicaLab } from '../support/etcd-replicas.js';
import {
  changes,
  countsOf,
  drill,
  KEYS,
  MISSING_FILE,
  snapshotIn,
  startDrillLab,
  STEPS,
} from '../support/etcd-replica-drill.js';
import { recordReliability } from '../support/reliability.js';

const ROTATING = 'C0DRILLROTATE';

let lab: EtcdReplicaLab;
beforeAll(async () => {
  lab = await startDrillLab(['r1', 'r2', 'r3'], ROTATING);
}, 90_000);
afterAll(() => lab?.stop());

describe('the etcd drill over three bot processes with a workdir each, files kept in the step-file store', () => {
  it('passes with every step on a different replica than the step before, each finding the files it reads', async () => {
    // The disaster: the member's data dir is wiped under the running etcd.
    await rm(lab.member.dataDir, { recursive: true, force: true });
    const rotation = ['r1', 'r2', 'r3'];
    const snapshots: (string | undefined)[] = [];
    const { incidentId, runners, thread } = await drill(lab, ROTATING, async (step, ran, id) => {
      // Once integrity has run: the snapshot it checked is in its runner's workdir, the same as download wrote.
      if (step === 'stop-apiservers')
        snapshots.push(...(await Promise.all(ran.map((replica) => snapshotIn(lab, replica, id)))));
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
      ...(await countsOf(lab, incidentId)),
      note: `runners ${runners.join(' → ')}; own workdir each, step files in s3rver; ${after.count} of ${KEYS} keys back`,
    });
  }, 180_000);
});
