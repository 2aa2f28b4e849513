import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, Flag, K8sName } from '../inputs.js';
import { VeleroNamespace } from './inputs.js';

export const restorePlanContract = actionContract({
  name: 'velero.restore-plan',
  summary:
    'What a restore of one namespace will do: objects by kind, which exist, PVC data sources, CRDs needed, blocking PVs; and its digest',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    cluster: Cluster,
    backup: K8sName.describe('backup name'),
    namespace: K8sName.describe('namespace to restore'),
    targetNamespace: z
      .union([K8sName, z.literal('')])
      .optional()
      .describe('namespace it is restored into, if mapped'),
    existingResourcePolicy: z.enum(['none', 'update']).default('none').describe('none (default) or update'),
    /** The responder accepts that PVCs without data come back empty; it reaches the restore step's inputs, so its approval. */
    allowEmptyVolumes: Flag.default(false).describe('accept PVCs without data in the backup (default false)'),
    veleroNamespace: VeleroNamespace,
  }),
  result: {
    digest: 'sha256 of the plan, for the restore step to check',
    objects: 'objects of the namespace in the backup',
    existing: 'of them, already in the cluster',
    emptyVolumes: 'PVCs whose data is not in the backup',
    missingCrds: 'CRDs the objects need that the target lacks',
    blockingVolumes: 'Released Retain PVs that would block the restore',
    problems: 'what stops the restore, in words, or "none"',
    stdout: 'the plan, readable',
  },
});
