import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, Flag, K8sName } from '../inputs.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { VeleroNamespace } from './inputs.js';
import { planDigest, planProblems, renderPlan } from './plan-words.js';
import { planFor } from './plan-source.js';

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

/** What the restore will do, before anyone approves it: read-only, so it runs as a prerequisite check. */
export const restorePlan = (source: KubeConfigSource) =>
  kubeAction(source, restorePlanContract, async (input, kube, context) => {
    const plan = await planFor(
      kube,
      input.veleroNamespace,
      {
        backup: input.backup,
        namespace: input.namespace,
        targetNamespace: input.targetNamespace || input.namespace,
        existingResourcePolicy: input.existingResourcePolicy,
      },
      context.signal,
    );
    const problems = planProblems(plan, input.allowEmptyVolumes);
    const result = {
      digest: planDigest(plan),
      objects: plan.objects,
      existing: plan.existing.length,
      emptyVolumes: plan.emptyVolumes.length,
      missingCrds: plan.crds.filter((c) => !c.present).length,
      blockingVolumes: plan.blockingVolumes.length,
      // For `expect: { problems: none }`: the card lists expect failures, so the PVC is named there.
      problems: problems.length > 0 ? problems.join('; ') : 'none',
      stdout: renderPlan(plan),
    };
    return { completed: true, result, ...(problems.length > 0 ? { error: problems.join('; ') } : {}) };
  });
