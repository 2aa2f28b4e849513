import { formatSeconds } from '../../domain/duration.js';
import type { Kube } from '../k8s/kube-action.js';
import { describeRestore, type Followed } from './follow-restore.js';
import { planDigest, planProblems, renderPlan } from './plan-words.js';
import { planFor } from './plan-source.js';

/** What the restore step needs to remake its plan. */
export type PlanInputs = {
  readonly backup?: string | undefined;
  readonly namespaces?: readonly string[] | undefined;
  readonly namespaceMapping?: Readonly<Record<string, string>> | undefined;
  readonly existingResourcePolicy?: 'none' | 'update' | undefined;
  readonly planDigest?: string | undefined;
  readonly allowEmptyVolumes: boolean;
  readonly veleroNamespace: string;
};

/** The plan made again now; a different digest means what was approved is not what would run. */
export async function planChanged(
  kube: Kube,
  input: PlanInputs,
  signal: AbortSignal,
): Promise<{ problem?: string; text?: string }> {
  const namespace = input.namespaces?.[0];
  if (!input.backup || !namespace || namespace === '*') return {};
  const plan = await planFor(
    kube,
    input.veleroNamespace,
    {
      backup: input.backup,
      namespace,
      targetNamespace: input.namespaceMapping?.[namespace] ?? namespace,
      existingResourcePolicy: input.existingResourcePolicy ?? 'none',
    },
    signal,
  );
  const text = renderPlan(plan);
  const problems = planProblems(plan, input.allowEmptyVolumes);
  if (problems.length > 0)
    return { text, problem: `the restore would not do what it must: ${problems.join('; ')}` };
  const digest = planDigest(plan);
  if (input.planDigest && digest !== input.planDigest)
    return {
      text,
      problem: `the restore plan changed since approval: approved ${input.planDigest.slice(0, 19)}…, now ${digest.slice(0, 19)}…; request the step again to see and approve the new plan`,
    };
  return { text };
}

export function lost(
  followed: Followed,
  name: string,
  namespace: string,
  timeoutMs: number,
): string | undefined {
  const check = `check it with: velero restore describe ${name} --details -n ${namespace}`;
  switch (followed.end) {
    case 'finished':
      return undefined;
    case 'timeout':
      return followed.unreachable
        ? `${followed.unreachable.message}, so Lifeboat lost Restore ${name} (${describeRestore(followed.last)}); it may still be running: ${check}`
        : `Restore ${name} did not finish within ${formatSeconds(timeoutMs / 1000)} (${describeRestore(followed.last)}); it keeps running, and Retry follows it again: ${check}`;
    case 'stopped':
      return `stopped following Restore ${name} (${describeRestore(followed.last)}); it keeps running in the cluster: ${check}`;
    case 'failed':
      return `${followed.error.message} (while following Restore ${name})`;
  }
}
