import { z } from 'zod';
import { actionContract } from '../contract.js';
import { Cluster, K8sName, Namespace, WholeNumber } from '../inputs.js';

/** What a scale changed, to put back: each workload's replicas and each HPA's bounds before. */
export const Restore = z.strictObject({
  workloads: z.record(K8sName, z.number().int().min(0)),
  autoscalers: z
    .record(
      K8sName,
      z.strictObject({ minReplicas: z.number().int().min(1), maxReplicas: z.number().int().min(1) }),
    )
    .default({}),
});
export type Restore = z.infer<typeof Restore>;

/** A template renders `{{ steps.X.result.restore }}` as JSON text; read it back (an object is taken as it is). */
export const RestoreInput = z.unknown().transform((value, ctx) => {
  let data = value;
  try {
    if (typeof value === 'string') data = JSON.parse(value);
  } catch {
    data = undefined;
  }
  const parsed = Restore.safeParse(data);
  if (parsed.success) return parsed.data;
  ctx.addIssue({
    code: 'custom',
    message: 'expected the restore result of a k8s.scale step, e.g. "{{ steps.scale.result.restore }}"',
  });
  return z.NEVER;
});

export const scaleContract = actionContract({
  name: 'k8s.scale',
  summary:
    'Set the replica count of Deployments or StatefulSets, raising the minReplicas of an HPA that targets them (else it undoes the scale); or put back what an earlier scale recorded',
  readOnly: false,
  input: z
    .strictObject({
      cluster: Cluster,
      namespace: Namespace,
      kind: z
        .enum(['Deployment', 'StatefulSet'])
        .default('Deployment')
        .describe('Deployment (default) or StatefulSet'),
      name: K8sName.optional().describe('workload name; omit with selector'),
      selector: z.string().min(1).optional().describe('label selector picking several workloads'),
      replicas: WholeNumber.optional().describe(
        'replica count (an HPA targeting a workload gets it as minReplicas)',
      ),
      restore: RestoreInput.optional().describe(
        'instead of replicas: the restore result of an earlier k8s.scale ("{{ steps.ID.result.restore }}"), for its rollback',
      ),
    })
    .refine((input) => (input.replicas === undefined) !== (input.restore === undefined), {
      message: 'give replicas or restore (one of them)',
    })
    .refine(
      (input) => input.restore !== undefined || (input.name === undefined) !== (input.selector === undefined),
      {
        message: 'give name or selector (one of them)',
      },
    ),
  result: {
    scaled: 'names of the workloads scaled',
    previous: 'their replica counts before',
    autoscalers: 'the HPAs changed, with their minReplicas and maxReplicas before',
    restore: 'what the rollback puts back: give it to k8s.scale as restore',
    restored: 'with restore: what was put back',
  },
});
