import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CHANNEL, startWorld, type World } from '../support/e2e.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { DEFAULT_PLAN } from '../../src/sandbox/k8s/restores.js';
import { backup, deployment, snapshotLocation, storageLocation } from '../../src/sandbox/k8s/objects.js';
import { copyOfShippedRunbooks } from '../support/runbook-folder.js';
import { resourceList, volumeInfos, type NamespaceContents } from '../../src/sandbox/velero/backup-files.js';

const good: Record<string, NamespaceContents> = {
  payments: { deployments: ['api'], configMaps: ['settings', 'limits'], pvcs: { data: 'CSISnapshot' } },
};
const noData: Record<string, NamespaceContents> = {
  payments: { deployments: ['api'], configMaps: ['settings'], pvcs: { data: 'none' } },
};
const alreadyExists = (name: string) =>
  `could not restore, ConfigMap "${name}" already exists. Warning: the in-cluster version is different than the backed-up version`;

let api: K8sEmulator;
let app: http.Server;
let world: World;
let runbooks: Awaited<ReturnType<typeof copyOfShippedRunbooks>>;
beforeAll(async () => {
  api = await K8sEmulator.create({ tickMs: 50 });
  api.seed('backupstoragelocations', storageLocation('default', 'Available', 0.2));
  api.seed('volumesnapshotlocations', snapshotLocation('default', 'aws', 'eu-west-1'));
  api.seed(
    'backups',
    backup('payments-good', { included: ['payments'], completedHoursAgo: 5, gitVersion: 'v1.31.2' }),
    backup('payments-no-data', { included: ['payments'], completedHoursAgo: 3, gitVersion: 'v1.31.2' }),
    // Taken after the namespace was deleted: it "covers" payments and holds nothing of it.
    backup('payments-after-deletion', {
      included: ['payments'],
      completedHoursAgo: 0.2,
      gitVersion: 'v1.31.2',
    }),
  );
  api.backupFiles('payments-good', { resources: resourceList(good), volumes: volumeInfos(good) });
  api.backupFiles('payments-no-data', { resources: resourceList(noData), volumes: volumeInfos(noData) });
  api.backupFiles('payments-after-deletion', { resources: { 'v1/ConfigMap': ['other/x'] }, volumes: [] });
  app = http.createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  runbooks = await copyOfShippedRunbooks();
  const kubeconfig = path.join(runbooks.dir, 'kubeconfig.json');
  await writeFile(kubeconfig, api.kubeconfigFile(['prod-eu', 'drill-eu']));
  world = await startWorld({
    runbooks: runbooks.dir,
    config: [
      'access:',
      '  approvers: [UALICE, UBOB]',
      'clusters:',
      '  primary: { context: prod-eu, region: eu-west-1 }',
      '  drill: { context: drill-eu, region: eu-west-1, isolated: true }',
      'drills:',
      '  cluster: drill',
    ].join('\n'),
    env: { KUBECONFIG: kubeconfig, HOME: os.tmpdir() },
  });
}, 60_000);
afterAll(async () => {
  await world?.stop();
  await runbooks?.remove();
  await api?.close();
  app?.close();
});

describe('the restore plan and results of a namespace restore, through Slack', () => {
  it('skips the backup taken after the deletion, names a PVC with no data, voids a plan changed after approval, and fails on warnings not allowed', async () => {
    const { slack, emulator, until, cardText, thread } = world;
    const card = () => until(() => world.card(), 'the card');
    const healthUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/health`;
    const setParams = async (params: Record<string, string>) => {
      await slack.click('UALICE', await card(), 'Set parameters');
      const modal = await until(() => emulator.views('UALICE').find((v) => v.state === 'open'), 'the modal');
      await slack.submitView('UALICE', modal, { namespace: 'payments', healthUrl, ...params });
    };

    await slack.command('UALICE', 'drill velero-namespace-restore');
    await until(() => cardText().includes('Set parameters'), 'the parameters button');
    await setParams({});
    await until(() => cardText().includes('Prerequisites failed'), 'the failed prerequisites');
    // The newest backup with payments' objects is payments-no-data; its PVC has no data.
    expect(cardText()).toContain(
      'payments/data would come back empty (no snapshot or file-system backup of its data in payments-no-data)',
    );
    expect(api.storage.downloads).toContain('BackupResourceList/payments-after-deletion');

    await setParams({ backup: 'payments-good' });
    await until(() => cardText().includes('Next: Confirm the namespace is really gone'), 'the first step');
    await slack.click('UALICE', await card(), 'Run');
    await until(
      () => cardText().includes('Next: Restore the namespace with its volumes'),
      'the restore step',
    );

    await slack.click('UALICE', await card(), 'Run');
    await until(() => cardText().includes('"Approve"'), 'approval');
    // The approver sees the plan itself, not only its digest.
    expect(cardText()).toContain('What you approve with it (check `plan`)');
    expect(cardText()).toMatch(/Restore plan: \d+ objects of namespace payments from backup payments-good/);
    // Every kind was checked against the target: the ConfigMaps were listed (by name) and none is in the way.
    expect(cardText()).toContain('  2 ConfigMap\\n  1 PersistentVolumeClaim');
    expect(cardText()).not.toContain('could not check');
    expect(cardText()).not.toContain('Already in the cluster');
    // Someone recreates part of the namespace between the approval request and the run.
    api.seed('deployments', deployment('payments', 'api'));
    await slack.click('UBOB', await card(), 'Approve');
    await until(() => cardText().includes('"Retry"'), 'the restore to be refused');
    const refused = thread().find(
      (m) => m.text.includes('Restore the namespace with its volumes') && m.text.includes('❌'),
    );
    expect(JSON.stringify(refused?.blocks)).toContain('the restore plan changed since approval');
    expect(api.state.list('restores', 'velero')).toEqual([]);

    api.state.objects.deployments.length = 0;
    api.restorePlan = {
      ...DEFAULT_PLAN,
      results: {
        errors: {},
        warnings: { namespaces: { payments: [alreadyExists('settings'), alreadyExists('limits')] } },
      },
    };
    await slack.click('UALICE', await card(), 'Retry');
    await until(() => cardText().includes('"Approve"'), 'approval of the retry');
    await slack.click('UBOB', await card(), 'Approve');
    await until(
      () =>
        thread().filter(
          (m) => m.text.includes('Restore the namespace with its volumes') && m.text.includes('❌'),
        ).length >= 2,
      'the restore to fail on its warnings',
      30_000,
    );
    const failed = thread()
      .filter((m) => m.text.includes('Restore the namespace with its volumes') && m.text.includes('❌'))
      .at(-1);
    const shown = JSON.stringify(failed?.blocks);
    expect(shown).toMatch(
      /warnings not allowed by allowWarnings: payments: could not restore, ConfigMap \W+settings\W+ already exists/,
    );
    expect(shown).toMatch(/ConfigMap \W+limits\W+ already exists/);
    expect(shown).toMatch(/skipped ConfigMap payments\/settings: could not restore/);
    expect(shown).toContain('Ledger:');
    expect(api.state.list('restores', 'velero').map((r) => r.status?.phase)).toEqual(['Completed']);

    // The postmortem's timeline carries the plan the approvals were bound to, with its digest.
    await slack.command('UALICE', 'timeline', { channel: CHANNEL });
    const file = await until(
      () => emulator.files().find((f) => f.completed && f.filename.endsWith('-timeline.md')),
      'the uploaded timeline',
    );
    const markdown = file.bytes?.toString('utf8') ?? '';
    expect(markdown).toContain('## What the approvals were bound to');
    expect(markdown).toMatch(/### Step `restore`: check `plan` \(digest `sha256:[0-9a-f]{64}`\)/);
    expect(markdown).toMatch(/Restore plan: \d+ objects of namespace payments from backup payments-good/);
  }, 120_000);
});
