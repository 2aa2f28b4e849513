import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction } from '../k8s/kube-action.js';
import { planDigest, planProblems, renderPlan } from './plan-words.js';
import { planFor } from './plan-source.js';
import { restorePlanContract } from './restore-plan-contract.js';

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
