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

const KILLED = 'C0DRILLKILLED';

let lab: EtcdReplicaLab;
beforeAll(async () => {
  // r4 is the pod that replaces a dead one, started early: frozen until the drill needs it.
  lab = await startDrillLab(['r1', 'r2', 'r3', 'r4'], KILLED);
}, 90_000);
afterAll(() => lab?.stop());

describe('the etcd drill over three bot processes with a workdir each, files kept in the step-file store', () => {
  it('still passes when the replica that downloaded the snapshot is killed with its workdir: the next steps take the files from the store', async () => {
    await rm(lab.member.dataDir, { recursive: true, force: true });
    let killed = '';
    const seenByR4: (string | undefined)[] = [];
    // After the kill, integrity first runs on r4, the replacement pod, then r2 and r3 take turns with it.
    const after = ['r4', 'r2', 'r3'];
    const { incidentId, runners, thread } = await drill(lab, KILLED, async (step, ran, id) => {
      if (step === 'download') return 'r1';
      if (step === 'integrity') {
        // kill -9 the only replica that holds snapshot.db; its pod's emptyDir goes with it.
        killed = ran[0]!;
        await lab.fleet.kill(killed);
        await rm(lab.fleet.workdir(killed), { recursive: true, force: true });
      }
      // r4's workdir before integrity, and after it.
      if (step === 'integrity' || step === 'stop-apiservers') seenByR4.push(await snapshotIn(lab, 'r4', id));
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
      ...(await countsOf(lab, incidentId)),
      note: `runners ${runners.join(' → ')}; the files came from s3rver; ${restored.count} of ${KEYS} keys back`,
    });
  }, 180_000);
});
