import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, Flag, K8sName } from '../inputs.js';
import { VeleroNamespace } from './inputs.js';
import { unsafePattern } from './warning-match.js';

export const Namespace = z.union([K8sName, z.literal('*')]);

export const Pattern = z.string().superRefine((pattern, ctx) => {
  const why = unsafePattern(pattern);
  if (why)
    ctx.addIssue({
      code: 'custom',
      message: `allowWarnings pattern ${JSON.stringify(pattern)} refused: ${why}`,
    });
});

export const restoreContract = actionContract({
  name: 'velero.restore',
  summary: 'Create a Velero Restore and follow it to its end',
  readOnly: false,
  input: z
    .strictObject({
      cluster: Cluster,
      backup: K8sName.optional().describe('backup name'),
      schedule: K8sName.optional().describe('restore the latest successful backup of this schedule'),
      // `namespaces: "{{ params.namespace }}"` renders to one string; take it as a list of one.
      namespaces: z
        .union([Namespace.transform((one) => [one]), z.array(Namespace)])
        .optional()
        .describe('namespaces to include'),
      namespaceMapping: z.record(K8sName, K8sName).optional().describe('old → new namespace names'),
      restorePVs: Flag.default(true).describe('restore persistent volume data (default true)'),
      existingResourcePolicy: z.enum(['none', 'update']).optional().describe('none (default) or update'),
      /** Warnings a Completed restore may carry and still pass (unanchored patterns). */
      allowWarnings: z
        .array(Pattern)
        .default([])
        .describe(
          'patterns a warning of a Completed restore may match and still pass (no nested quantifiers)',
        ),
      /** The digest of the restore plan shown at approval; the plan is made again and must match. */
      planDigest: z
        .string()
        .optional()
        .describe(
          'digest of the restore plan approved ({{ checks.plan.result.digest }}); refused if the plan changed',
        ),
      allowEmptyVolumes: Flag.default(false).describe(
        'restore even though PVCs without data in the backup come back empty (default false)',
      ),
      /** The runbook step this Restore belongs to: part of its name, so a retry finds it. */
      step: K8sName.default('restore').describe(
        'the step id, part of the Restore name so a retry adopts it (default restore)',
      ),
      veleroNamespace: VeleroNamespace,
    })
    .refine((input) => (input.backup === undefined) !== (input.schedule === undefined), {
      message: 'give backup or schedule (one of them)',
    }),
  result: {
    name: 'Restore name',
    phase: 'final phase',
    errors: 'error count',
    warnings: 'warning count',
    itemsRestored: 'items restored',
    totalItems: 'items in the backup',
    restored: 'items created or updated (RestoreResourceList)',
    skipped: 'items skipped, each with its reason in the output',
    failed: 'items that failed',
    unexpectedWarnings: 'warnings no allowWarnings pattern matched',
    failedOperations: 'failed plugin item operations',
    failedHooks: 'failed restore hooks',
    stdout: 'the results and the ledger, grouped by namespace and kind',
    durationMs: 'how long the action took',
  },
});
