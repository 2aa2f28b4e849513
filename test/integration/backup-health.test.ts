/**
 * backups.health, the backup-health-check runbook's one step: every check runs even when an
 * earlier one fails, and the result is one table. Real S3 actions on s3rver (with the
 * bucket-settings front), Velero actions on the API emulator, drill records as the store keeps them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
// The registry first: it loads the catalog, whose contracts the action files import back.
import { createRegistry } from '../../src/actions/registry.js';
import { backupHealth } from '../../src/actions/backups/health.js';
import { drillActions } from '../../src/actions/drill-last-result.js';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { s3Client } from '../../src/actions/s3/client.js';
import { s3Actions } from '../../src/actions/s3/index.js';
import type { DrillRecord } from '../../src/domain/readiness.js';
import type { ActionRegistry } from '../../src/engine/action-port.js';
import { runCall } from '../../src/engine/run-call.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import * as k8s from '../../src/sandbox/k8s/objects.js';
import { S3RVER_CREDENTIALS } from '../support/s3.js';
import { startS3WithBucketSettings, type S3WithBucketSettings } from '../support/s3-bucket-settings.js';

let s3: S3WithBucketSettings;
let api: K8sEmulator;
let registry: ActionRegistry;
const now = Date.now();
const records: DrillRecord[] = [
  {
    incident: 'DRILL-1',
    runbook: 'etcd-snapshot-restore',
    passed: true,
    endedAt: now - 86_400_000,
    rtoTarget: 14400,
  },
  {
    incident: 'DRILL-2',
    runbook: 'velero-namespace-restore',
    passed: false,
    endedAt: now - 3_600_000,
    rtoTarget: 1800,
  },
];

beforeAll(async () => {
  [s3, api] = await Promise.all([startS3WithBucketSettings(), K8sEmulator.create()]);
  api.seed('backupstoragelocations', k8s.storageLocation('default', 'Available', 0.1));
  const client = s3Client(s3.settings, S3RVER_CREDENTIALS);
  // A team's own upload: no sha256 metadata.
  await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'etcd/prod/snap.db', Body: 'snapshot' }));
  client.destroy();
  registry = createRegistry({
    ...kubernetesActions((target) => api.kubeConfig(target)),
    ...s3Actions(s3.settings, { credentials: S3RVER_CREDENTIALS }),
    ...drillActions(() => Promise.resolve(records)),
    'backups.health': backupHealth(
      () => registry,
      () => ['etcd-snapshot-restore', 'velero-namespace-restore', 'region-failover'],
    ),
  });
});
afterAll(async () => {
  await api?.close();
  await s3?.stop();
});

describe('backups.health', () => {
  it('runs every check though the first fails, and reports them all in one table', async () => {
    const outcome = await runCall(
      registry,
      {
        action: 'backups.health',
        with: {
          cluster: 'primary',
          storageLocations: 'missing,default',
          etcdBucket: s3.bucket,
          etcdPrefix: 'etcd/',
        },
      },
      () => undefined,
      {
        incidentId: 'inc-health',
        workdir: '/tmp',
        signal: new AbortController().signal,
        progress: () => undefined,
        cluster: (name) => (name === 'primary' ? { name, context: 'prod' } : undefined),
      },
    );
    expect(outcome.passed).toBe(false);
    const checks = outcome.result.checks as { check: string; passed: boolean; detail: string }[];
    expect(checks.map((c) => [c.check.split(':')[0], c.passed])).toEqual([
      ['storage location missing Available, validated within 1h', false],
      ['storage location default Available, validated within 1h', true],
      [`newest etcd snapshot under s3`, false],
      [`snapshot bucket ${s3.bucket} versioned, expiring old snapshots`, false],
      ['etcd-snapshot-restore', true],
      ['velero-namespace-restore', false],
      ['region-failover', false],
    ]);
    expect(checks[2]?.detail).toContain('metadata.sha256');
    expect(checks[6]?.detail).toContain('has never been drilled');
    const table = String(outcome.result.table).split('\n');
    expect(table[0]).toBe('| check | result | detail |');
    expect(table).toHaveLength(2 + checks.length);
    expect(outcome.result.failed).toBe(5);
    expect(outcome.error).toContain('5 of 7 backup checks failed');
  }, 60_000);
});
