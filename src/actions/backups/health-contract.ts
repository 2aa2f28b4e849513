import { z } from 'zod';
import { actionContract } from '../contract.js';

export const backupHealthContract = actionContract({
  name: 'backups.health',
  summary:
    "Every backup check at once, none stopping the others: each storage location, the Velero schedule, the newest etcd snapshot (age, size, sha256 metadata, source), the snapshot bucket's protection and every runbook's last drill; one table",
  readOnly: true,
  timeout: '10m',
  input: z.strictObject({
    cluster: z.string().min(1).describe('cluster whose Velero is checked (primary, …)'),
    storageLocations: z
      .string()
      .default('default')
      .describe('BackupStorageLocation names, comma-separated (default: default)'),
    schedule: z
      .string()
      .optional()
      .describe('Velero schedule whose last backup must be fresh (empty: not checked)'),
    etcdBucket: z.string().min(1).describe('bucket that holds the etcd snapshots'),
    etcdPrefix: z.string().optional().describe("key prefix of this cluster's snapshots"),
    sourceCluster: z
      .string()
      .optional()
      .describe('cluster name the newest snapshot\'s "cluster" metadata must carry, if it has one'),
    runbooks: z
      .string()
      .default('all')
      .describe('runbook ids whose last drill must have passed, comma-separated, or all (default)'),
    maxSnapshotAge: z.string().default('1h').describe('oldest the newest etcd snapshot may be (default 1h)'),
    maxDrillAge: z.string().default('90d').describe('oldest a passed drill may be (default 90d)'),
  }),
  result: {
    passed: 'true when every check passed',
    failed: 'how many checks failed',
    checks: 'each check: { check, passed, detail }',
    table: 'all checks as one Markdown table',
  },
});
