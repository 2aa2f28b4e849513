import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDemo, type Demo } from '../../src/sandbox/demo.js';
import { BACKUP_WITHOUT_DATA } from '../../src/sandbox/cluster.js';
import { eventually } from '../support/eventually.js';

let demo: Demo;
beforeAll(async () => {
  process.env.LOG_LEVEL = 'error';
  // etcd on PATH, as on CI: the demo runs its steps for real, not as a dry run.
  demo = await startDemo({ port: 0, env: { PATH: process.env.PATH } });
}, 60_000);
afterAll(() => demo?.stop());

describe('npm run demo: the Velero namespace restore in the sandbox cluster', () => {
  const cardIn = (channel: string) => () =>
    demo.workspace.emulator.messages(channel).find((m) => m.thread_ts === undefined);
  const says = (channel: string) => (text: string) =>
    eventually(() => {
      const card = cardIn(channel)();
      return Promise.resolve(JSON.stringify(card?.blocks ?? []).includes(text) && card);
    }, text);
  const modal = (user: string) =>
    eventually(
      () => Promise.resolve(demo.workspace.emulator.views(user).find((v) => v.state === 'open')),
      'the modal',
    );

  it('walks /dr declare payments namespace deleted to the restore: plan on the card, approval, phases, results, workloads back', async () => {
    const { emulator, driver } = demo.workspace;
    const { api, newestBackup } = demo.cluster;
    const cardSays = says('C0INCIDENT');
    expect(demo.summary).toContain('namespace payments was just deleted');
    expect(api.state.find('namespaces', undefined, 'payments')).toBeUndefined();

    await driver.command('UALICE', 'declare payments namespace deleted');
    await driver.click(
      'UALICE',
      await cardSays('What is failing?'),
      'A namespace or application was deleted',
    );
    await driver.click(
      'UALICE',
      await cardSays('Does the namespace still exist?'),
      'No, the whole namespace is gone',
    );
    await driver.submitView('UALICE', await modal('UALICE'), {
      namespace: 'payments',
      healthUrl: demo.values.healthUrl,
    });
    await driver.click('UALICE', await cardSays('Next: Confirm the namespace is really gone'), 'Run');
    await driver.click('UALICE', await cardSays('Next: Restore the namespace with its volumes'), 'Run');
    const approvalCard = await cardSays('"Approve"');
    const approval = JSON.stringify(approvalCard.blocks);
    expect(approval).toContain(`Restore plan: 8 objects of namespace payments from backup ${newestBackup}`);
    expect(approval).toContain('payments/data from CSI snapshot');
    expect(approval).toMatch(
      /2 Deployment\.apps\\n {2}1 StatefulSet\.apps\\n {2}1 ConfigMap\\n {2}1 PersistentVolumeClaim\\n {2}1 Secret\\n {2}2 Service/,
    );
    await driver.click('UBOB', approvalCard, 'Approve');
    await eventually(
      () =>
        Promise.resolve(
          cardIn('C0INCIDENT')()?.blocks &&
            JSON.stringify(cardIn('C0INCIDENT')()?.blocks).includes('Next: Check the restored data'),
        ),
      'the restore and its verification to pass',
      60_000,
    );
    const phases = api.state.history
      .filter((event) => event.plural === 'restores')
      .map((event) => event.object.status?.phase)
      .filter((phase, i, all) => phase && phase !== all[i - 1]);
    expect(phases).toEqual(['InProgress', 'WaitingForPluginOperations', 'Finalizing', 'Completed']);
    const thread = emulator
      .replies('C0INCIDENT', cardIn('C0INCIDENT')()?.ts ?? '')
      .map((m) => JSON.stringify(m.blocks));
    const restored = thread.find(
      (m) => m.includes('Restore the namespace with its volumes') && m.includes('✅'),
    );
    expect(restored).toMatch(/Restore lifeboat-[a-z0-9-]+-restore-1: Completed, 9\/9 items/);
    expect(restored).toContain('Ledger: 10 restored');
    expect(restored).toContain('0 skipped, 0 failed');
    expect(thread.some((m) => m.includes('✅ Verify Every workload is available'))).toBe(true);
    for (const name of ['api', 'worker'])
      expect(api.state.find('deployments', 'payments', name)?.status?.availableReplicas).toBeGreaterThan(0);
    expect(api.state.find('persistentvolumeclaims', 'payments', 'data')?.status?.phase).toBe('Bound');
  }, 120_000);

  it('refuses the backup without the volume data before approval, naming the PVC', async () => {
    const { driver } = demo.workspace;
    const cardSays = says('C0GENERAL');
    await driver.command('UCAROL', 'drill velero-namespace-restore', { channel: 'C0GENERAL' });
    await driver.click('UCAROL', await cardSays('Set parameters'), 'Set parameters');
    await driver.submitView('UCAROL', await modal('UCAROL'), {
      namespace: 'payments',
      backup: BACKUP_WITHOUT_DATA,
      healthUrl: demo.values.healthUrl,
    });
    const refused = JSON.stringify((await cardSays('Prerequisites failed')).blocks);
    expect(refused).toContain('payments/data would come back empty');
    expect(refused).toContain(BACKUP_WITHOUT_DATA);
  }, 60_000);
});
