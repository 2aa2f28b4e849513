import { z } from 'zod';
import { actionContract } from '../contract.js';
import { K8sName } from '../inputs.js';
import { backupFilter } from './inputs.js';

export const latestBackupContract = actionContract({
  name: 'velero.latest-backup',
  summary:
    'The backup that will be restored: the one picked, or the newest Completed one whose contents (BackupResourceList) hold the namespace',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    ...backupFilter,
    // `{{ params.backup | default('') }}`: empty means "choose one".
    backup: z
      .union([K8sName, z.literal('')])
      .optional()
      .describe("the responder's pick, checked instead of chosen (empty = choose)"),
  }),
  result: {
    items: 'objects of the namespace in the backup',
    skipped: 'newer backups passed over (e.g. taken after the deletion)',
    storageLocation: "the backup's BackupStorageLocation",
    name: 'backup name',
    time: 'completion time (ISO 8601)',
    ageSeconds: 'age in seconds',
    sourceK8sVersion: 'Kubernetes version of the source cluster',
    sourceK8sMinor: 'its minor version, e.g. 31',
    phase: 'backup phase',
    errors: 'error count',
    warnings: 'warning count',
  },
});
