import { createHash } from 'node:crypto';
import type { RestorePlan } from './plan.js';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of the plan's canonical JSON: the approval is bound to it through the restore step's inputs. */
export const planDigest = (plan: RestorePlan): string =>
  `sha256:${createHash('sha256').update(canonical(plan)).digest('hex')}`;

/** The problems that stop a restore before approval, in the responder's words. */
export function planProblems(plan: RestorePlan, allowEmptyVolumes: boolean): string[] {
  return [
    ...(allowEmptyVolumes
      ? []
      : plan.emptyVolumes.map(
          (pvc) =>
            `${pvc} would come back empty (no snapshot or file-system backup of its data in ${plan.backup})`,
        )),
    ...plan.crds
      .filter((c) => !c.present)
      .map(
        (c) =>
          `the target has no CRD for ${c.kind}: install it first (Velero restores no CRDs with includedNamespaces alone)`,
      ),
    ...plan.blockingVolumes.map(
      (b) =>
        `PersistentVolume ${b.pv} is Released with reclaim policy Retain and still claimed by ${b.claim}: the restored PVC cannot bind; to reuse its data clear its claimRef (kubectl patch pv ${b.pv} -p '{"spec":{"claimRef":null}}'), or delete it to restore from the backup`,
    ),
  ];
}

/** What the plan knows of a kind's objects in the target: how many exist, or why it could not tell. */
function checked(k: RestorePlan['kinds'][number]): string {
  if (k.check === 'forbidden') return ' (could not check (forbidden): Lifeboat may not list them here)';
  if (k.check === 'names only refused') return ' (could not check (the API server cannot list names only))';
  if (k.check === 'not served') return ' (not served by the target: nothing to check)';
  return k.existing ? ` (${k.existing} already exist)` : '';
}

/** The plan as a responder reads it on the card. */
export function renderPlan(plan: RestorePlan): string {
  const target =
    plan.targetNamespace === plan.namespace ? plan.namespace : `${plan.namespace} → ${plan.targetNamespace}`;
  const lines = [`Restore plan: ${plan.objects} objects of namespace ${target} from backup ${plan.backup}`];
  lines.push(
    // Count first: "Secret: 1" reads as a secret to the redactor.
    ...plan.kinds.map((k) => `  ${k.count} ${k.kind}${checked(k)}`),
  );
  if (plan.existing.length > 0)
    lines.push(`Already in the cluster: ${plan.existing.join(', ')}; ${plan.existingPolicy}`);
  if (plan.pvcs.length > 0)
    lines.push(
      `Volumes: ${plan.pvcs.map((p) => `${p.name} from ${p.source === 'none' ? 'NOTHING (comes back empty)' : p.source}`).join('; ')}`,
    );
  if (plan.crds.length > 0)
    lines.push(
      `CRDs needed: ${plan.crds.map((c) => `${c.kind} ${c.present ? 'present' : 'MISSING'}`).join('; ')}`,
    );
  if (plan.blockingVolumes.length > 0)
    lines.push(
      `Blocking PVs: ${plan.blockingVolumes.map((b) => `${b.pv} (Released, Retain, claimed by ${b.claim})`).join('; ')}`,
    );
  return lines.join('\n');
}
