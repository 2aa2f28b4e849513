import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { actionRegistry } from '../../src/actions/index.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import { PREFLIGHT } from '../../src/domain/incident.js';
import { startAppService, type AppService } from '../support/app-service.js';
import { etcd35Bin, pathWith, putKeys } from '../support/etcd.js';
import { contentOf, EtcdMember, type EtcdContent } from '../support/etcd-member.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { leaderLease, nodeLease } from '../../src/sandbox/k8s/control-plane-objects.js';
import { daemonSet, deployment, node } from '../../src/sandbox/k8s/objects.js';
import { actionRunner } from '../support/k8s/run-action.js';
import { Lifeboat } from '../support/lifeboat-lab.js';
import { Refused, Responder, type ManualWork } from '../support/responder.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../support/s3.js';

const KEYS = 10_000;
const RUNBOOK = 'etcd-snapshot-restore';
const AWS_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

let labDir = '';
let s3: LocalS3;
let api: K8sEmulator;
let app: AppService;
let member: EtcdMember;
let lifeboat: Lifeboat;
let before: EtcdContent;
let restorePath: () => void = () => undefined;
const savedEnv = AWS_ENV.map((name) => process.env[name]);

/** The production wiring: the SDK finds s3rver's credentials in the environment, as it would AWS's. */
function useS3rverCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
}

/** A control plane that is up: two Ready nodes, kube-system's workloads available. */
function seedCluster(): void {
  api.seed('nodes', node('cp-1'), node('worker-1'));
  api.seed('deployments', deployment('kube-system', 'coredns', { replicas: 2 }));
  api.seed('daemonsets', daemonSet('kube-system', 'kube-proxy', 2));
  // The Leases as the snapshot holds them: last renewed before the loss, by holders that are gone.
  const lost = new Date(Date.now() - 600_000);
  api.seed(
    'leases',
    leaderLease('kube-controller-manager', 'cp-1_old', lost),
    leaderLease('kube-scheduler', 'cp-1_old', lost),
    nodeLease('cp-1', lost),
    nodeLease('worker-1', lost),
  );
}

/** The backup job's work: a snapshot of the member, uploaded under `key` with the cluster it came from. */
async function backUp(key: string, cluster: string): Promise<void> {
  const run = actionRunner(actionRegistry({ s3: s3.settings, kube: (t) => api.kubeConfig(t) }), {});
  const file = path.join(labDir, 'backup', 'snapshot.db');
  const saved = await run('etcd.snapshot-save', { endpoints: member.clientUrl, file });
  const uploaded = await run('s3.upload', { bucket: s3.bucket, key, file, metadata: { cluster } });
  expect([saved, uploaded]).toMatchObject([{ passed: true }, { passed: true, result: { key } }]);
}

beforeAll(async () => {
  useS3rverCredentials();
  // etcd 3.5 with etcdutl: the runbook restores with the revision bump, which etcd 3.4 cannot do.
  restorePath = pathWith(etcd35Bin());
  labDir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-etcd-drill-'));
  [s3, api, app] = await Promise.all([startS3(), K8sEmulator.create(), startAppService()]);
  seedCluster();
  // etcd as on the control-plane node: the data dir plays /var/lib/etcd.
  member = await EtcdMember.create({ name: 'm1', dataDir: path.join(labDir, 'node', 'var-lib-etcd') });
  await member.start();
  await putKeys(member.clientUrl, '/registry/drill/key-', KEYS);
  before = await contentOf(member.clientUrl);
  await backUp(`test-cluster/snapshot-${Date.now()}.db`, 'test-cluster');
  // Staging's backup job writing into the wrong prefix: the snapshot the negative test must refuse.
  await backUp('mixed-up/snapshot-staging.db', 'staging');
  lifeboat = await Lifeboat.start({
    runbooks: 'runbooks',
    s3: s3.settings,
    kube: (target) => api.kubeConfig(target),
    clusters: {
      primary: {
        context: 'drill-lab',
        etcd: { endpoints: [member.clientUrl] },
        apiServers: [api.url],
        isolated: true,
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await lifeboat?.stop();
  await member?.stop();
  await Promise.all([api?.close(), s3?.stop(), app?.close()]);
  await rm(labDir, { recursive: true, force: true });
  restorePath();
  AWS_ENV.forEach((name, i) => {
    const value = savedEnv[i];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  });
});

const newResponder = () => new Responder(lifeboat, `DRILL-${randomBytes(4).toString('hex')}`);

const params = (prefix: string) => ({
  bucket: s3.bucket,
  prefix,
  sourceCluster: 'test-cluster',
  initialCluster: member.initialCluster,
  checkNamespace: 'kube-system',
  healthUrl: app.healthUrl,
});

/** The timeline as a responder reads it: what happened, to which step. */
const timeline = (events: readonly IncidentEvent[]): string[] =>
  events.map((e) => ('step' in e ? `${e.type} ${e.step}` : e.type));

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** What the people on the node do when the runbook says so; each returns the note they confirm with. */
const manualWork: Record<string, ManualWork> = {
  'stop-apiservers': async () => {
    await member.stop();
    await api.stop();
    app.up = false;
    return 'kube-apiserver and etcd manifests moved away';
  },
  'install-data-dirs': async (state) => {
    const dataDirs = state.steps['restore-members']?.result?.dataDirs as Record<string, string>;
    const restored = dataDirs[member.name] ?? '';
    // What etcd's shutdown may have left of the wiped dir is kept, as the runbook asks.
    if (await exists(member.dataDir)) await rename(member.dataDir, `${member.dataDir}.before-restore`);
    await rename(restored, member.dataDir);
    await member.start();
    return `${restored} moved to ${member.dataDir}; etcd started`;
  },
  'start-apiservers': async () => {
    await api.start();
    app.up = true;
    return 'kube-apiserver manifests back in place';
  },
  // The restarted leaders and kubelets renew their Leases from now on.
  'restart-controllers': () => {
    api.heartbeats.add('kube-system/kube-controller-manager');
    api.heartbeats.add('kube-system/kube-scheduler');
    return Promise.resolve('controller-manager and scheduler manifests moved out and back');
  },
  'restart-kubelets': () => {
    api.heartbeats.add('kube-node-lease/cp-1');
    api.heartbeats.add('kube-node-lease/worker-1');
    return Promise.resolve('kubelet restarted on cp-1 and worker-1');
  },
};

describe('the shipped etcd-snapshot-restore runbook, through the engine, against a real etcd', () => {
  it('rebuilds a wiped etcd from its S3 snapshot: every step passes, every key comes back, RTO and RPO are measured', async () => {
    // The disaster: the member's data dir is wiped under the running etcd.
    await rm(member.dataDir, { recursive: true, force: true });

    const responder = newResponder();
    await responder.declareDrill(RUNBOOK, 'etcd data lost on the control plane');
    const preflight = await responder.setParams(params('test-cluster/'));
    expect(preflight).toMatchObject({ passed: true, failed: [] });

    const runbook = lifeboat.engine.runbook(RUNBOOK)?.runbook;
    for (const { id } of runbook?.steps ?? []) {
      const finished = await responder.runStep(id, manualWork[id]);
      expect({ id, ...finished }).toMatchObject({ id, status: 'passed' });
    }
    await responder.send({ type: 'Resolve' });

    const after = await contentOf(member.clientUrl);
    expect(after).toEqual(before);
    expect(after.count).toBe(KEYS);

    const state = await lifeboat.engine.state(responder.incidentId);
    expect(state?.steps['install-data-dirs']?.evidence).toMatchObject([
      { title: 'Every etcd endpoint is healthy', passed: true, result: { healthy: true } },
      { title: 'etcd holds as many keys as the snapshot', passed: true, result: { count: KEYS } },
    ]);
    expect(state?.steps.integrity?.result).toMatchObject({ totalKey: expect.any(Number) });
    expect(state?.steps['stop-apiservers']?.evidence).toMatchObject([
      { passed: true, result: { stopped: true, endpoints: [{ endpoint: api.url, stopped: true }] } },
    ]);
    // etcd was stopped with the API servers, so the snapshot's own version was the evidence.
    expect(state?.steps['restore-members']?.result).toMatchObject({
      tool: 'etcdutl',
      bumpRevision: 1_000_000_000,
      markCompacted: true,
      snapshotVersion: '3.5.0',
      versionEvidence: [
        expect.stringContaining('cluster: no member answered endpoint status'),
        'snapshot: written by an etcd 3.5 cluster (its stored cluster version)',
      ],
    });

    const events = await lifeboat.engine.events(responder.incidentId);
    const restored = events.find((e) => e.type === 'ServiceRestored');
    expect(restored).toMatchObject({ step: 'smoke', rtoSeconds: expect.any(Number) });
    expect(restored).toHaveProperty('rpoSeconds', expect.any(Number));
    // RPO: the snapshot was uploaded moments before the drill was declared.
    expect(restored && 'rpoSeconds' in restored ? restored.rpoSeconds : -1).toBeLessThan(60);
    expect(timeline(events)).toEqual([
      'IncidentDeclared',
      'RunbookSelected',
      'ParamsSet',
      'PrerequisitesChecked',
      ...['StepStarted download', 'StepFinished download'],
      ...['StepStarted integrity', 'StepFinished integrity'],
      'StepRequested stop-apiservers',
      'ApprovalGranted stop-apiservers',
      'StepStarted stop-apiservers',
      'ManualConfirmed stop-apiservers',
      'StepFinished stop-apiservers',
      'VerificationRecorded stop-apiservers',
      ...['StepStarted restore-members', 'StepFinished restore-members'],
      'StepRequested install-data-dirs',
      'ApprovalGranted install-data-dirs',
      'StepStarted install-data-dirs',
      'ManualConfirmed install-data-dirs',
      'StepFinished install-data-dirs',
      'VerificationRecorded install-data-dirs',
      'VerificationRecorded install-data-dirs',
      'StepStarted start-apiservers',
      'ManualConfirmed start-apiservers',
      'StepFinished start-apiservers',
      'VerificationRecorded start-apiservers',
      'StepStarted restart-controllers',
      'ManualConfirmed restart-controllers',
      'StepFinished restart-controllers',
      'VerificationRecorded restart-controllers',
      'StepStarted restart-kubelets',
      'ManualConfirmed restart-kubelets',
      'StepFinished restart-kubelets',
      'VerificationRecorded restart-kubelets',
      'VerificationRecorded restart-kubelets',
      ...['StepStarted webhooks-clear', 'StepFinished webhooks-clear'],
      ...['StepStarted workloads-running', 'StepFinished workloads-running'],
      ...['StepStarted smoke', 'StepFinished smoke', 'ServiceRestored smoke'],
      'IncidentResolved',
    ]);
    expect(lifeboat.errors).toEqual([]);
  }, 60_000);

  it('refuses a snapshot from staging: the right-cluster check fails readably and no step starts until overridden', async () => {
    const responder = newResponder();
    await responder.declareDrill(RUNBOOK, 'etcd lost, restoring from the wrong prefix');
    const preflight = await responder.setParams(params('mixed-up/'));
    expect(preflight).toMatchObject({
      passed: false,
      failed: [
        `The snapshot comes from the cluster being restored, not from staging: s3://${s3.bucket}/mixed-up/snapshot-staging.db is from another cluster: its "cluster" metadata names staging, not test-cluster (lifeboat metadata); pick a snapshot of test-cluster, nothing was changed; matches should be = true, got false`,
      ],
    });

    const download = responder.send({ type: 'Request', step: 'download', gate: 'run' });
    await expect(download).rejects.toThrow(Refused);
    await expect(download).rejects.toMatchObject({ rejection: { code: 'out-of-order' } });
    const afterRefusal = await lifeboat.engine.events(responder.incidentId);
    expect(afterRefusal.filter((e) => e.type === 'StepStarted')).toEqual([]);

    // A second person may still decide to go ahead, on the record.
    const { state } = await responder.send({ type: 'Request', step: PREFLIGHT, gate: 'override' });
    expect((await responder.approve(state, PREFLIGHT, 'override')).status).toBe('running');
    expect(await responder.runStep('download')).toMatchObject({ status: 'passed' });
    await responder.send({ type: 'Abort', reason: 'drill of the staging mix-up done' });
  }, 30_000);
});
