import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startWorld, type World } from '../support/e2e.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { backup, deployment, snapshotLocation, storageLocation } from '../../src/sandbox/k8s/objects.js';
import { copyOfShippedRunbooks } from '../support/runbook-folder.js';
import { resourceList, volumeInfos, type NamespaceContents } from '../../src/sandbox/velero/backup-files.js';

const shop: Record<string, NamespaceContents> = {
  shop: { deployments: ['storefront'], configMaps: ['settings'], pvcs: { data: 'CSISnapshot' } },
};

let api: K8sEmulator;
let app: http.Server;
let world: World;
let runbooks: Awaited<ReturnType<typeof copyOfShippedRunbooks>>;
beforeAll(async () => {
  api = await K8sEmulator.create({ tickMs: 100 });
  api.seed('backupstoragelocations', storageLocation('default', 'Available', 0.2));
  // Wrong on purpose: a backup taken on Kubernetes 1.30 and snapshots kept in another region.
  api.seed(
    'backups',
    backup('shop-nightly-1', { included: ['shop'], completedHoursAgo: 3, gitVersion: 'v1.30.9' }),
  );
  api.seed('volumesnapshotlocations', snapshotLocation('default', 'aws', 'us-east-1'));
  for (const name of ['shop-nightly-1', 'shop-nightly-2'])
    api.backupFiles(name, { resources: resourceList(shop), volumes: volumeInfos(shop) });
  app = http.createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  runbooks = await copyOfShippedRunbooks();
  // The restore gives up soon after losing the API, so the test sees the failure and the retry.
  await runbooks.edit('velero-namespace-restore.yaml', 'timeout: 20m', 'timeout: 4s');
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

describe('a namespace restore with Velero, through Slack, against the Kubernetes API emulator', () => {
  it('stops on a backup from another Kubernetes minor and a snapshot region elsewhere, then restores, surviving the API going away mid-restore', async () => {
    const { slack, emulator, until, cardText, thread } = world;
    const card = () => until(() => world.card(), 'the card');
    const healthUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/health`;
    const setParams = async () => {
      await slack.click('UALICE', await card(), 'Set parameters');
      const modal = await until(() => emulator.views('UALICE').find((v) => v.state === 'open'), 'the modal');
      await slack.submitView('UALICE', modal, { namespace: 'shop', healthUrl });
    };

    await slack.command('UALICE', 'drill velero-namespace-restore');
    await until(() => cardText().includes('Set parameters'), 'the parameters button');
    await setParams();
    await until(() => cardText().includes('Prerequisites failed'), 'the failed prerequisites');
    expect(cardText()).toContain('same Kubernetes minor version');
    expect(cardText()).toContain('Volume snapshots live in this cluster');
    expect(cardText()).not.toContain('Velero can reach its backup storage');

    api.seed(
      'backups',
      backup('shop-nightly-2', { included: ['shop'], completedHoursAgo: 1, gitVersion: 'v1.31.2' }),
    );
    api.state.update('volumesnapshotlocations', 'velero', 'default', (location) => {
      location.spec = { ...location.spec, config: { region: 'eu-west-1' } };
    });
    await setParams();
    await until(() => cardText().includes('Next: Confirm the namespace is really gone'), 'the first step');
    await slack.click('UALICE', await card(), 'Run');
    await until(
      () => cardText().includes('Next: Restore the namespace with its volumes'),
      'the restore step',
    );

    api.restorePlan = { ...api.restorePlan, ticks: 1000 };
    await slack.click('UALICE', await card(), 'Run');
    await until(() => cardText().includes('"Approve"'), 'approval');
    await slack.click('UBOB', await card(), 'Approve');
    await until(
      () => api.state.list('restores', 'velero').some((r) => r.status?.phase === 'InProgress'),
      'the Restore to be in progress',
    );
    await api.stop();
    await until(() => cardText().includes('"Retry"'), 'the restore to fail while the API is away', 20_000);
    const failure = thread().find(
      (m) => m.text.includes('Restore the namespace with its volumes') && m.text.includes('❌'),
    );
    expect(JSON.stringify(failure?.blocks)).toMatch(
      /cannot reach the API server of cluster primary \(context drill-eu\)/,
    );

    await api.start();
    api.seed('deployments', deployment('shop', 'storefront', { replicas: 2 }));
    await slack.click('UALICE', await card(), 'Retry');
    await until(() => cardText().includes('"Approve"'), 'approval of the retry');
    api.hurryRestores();
    await slack.click('UBOB', await card(), 'Approve');
    await until(
      () => cardText().includes('Next: Check the restored data'),
      'the restore to pass on retry',
      30_000,
    );
    expect(thread().some((m) => m.text.includes('✅ Verify Every workload is available'))).toBe(true);
    // The retry followed the Restore still running from the first attempt: exactly one was made.
    expect(api.state.list('restores', 'velero').map((r) => r.metadata.name)).toEqual([
      expect.stringMatching(/^lifeboat-[a-z0-9-]+-restore-1$/),
    ]);

    await slack.click('UALICE', await card(), 'Run');
    await until(() => cardText().includes('"Done"'), 'the manual check');
    await slack.click('UALICE', await card(), 'Done');
    await until(() => cardText().includes('Next: The application serves traffic'), 'the smoke test');
    await slack.click('UALICE', await card(), 'Run');
    await until(() => cardText().includes('restored'), 'service restored');
  }, 120_000);
});
