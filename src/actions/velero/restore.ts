import { CustomObjectsApi } from '@kubernetes/client-node';
import type { z } from 'zod';
import type { ActionContext } from '../../engine/action-port.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { KubeError } from '../k8s/errors.js';
import { kubeAction, type Kube } from '../k8s/kube-action.js';
import { download } from './download.js';
import { followRestore, TERMINAL_PHASES } from './follow-restore.js';
import { listVelero, Restore, RESTORES } from './objects.js';
import { lost, planChanged } from './restore-checks.js';
import { ATTEMPT_LABEL, INCIDENT_LABEL, restoreName, slug, STEP_LABEL } from './restore-name.js';
import { judge } from './restore-verdict.js';
import { restoreContract } from './restore-contract.js';

export { restoreName } from './restore-name.js';

type Input = z.output<typeof restoreContract.input>;

const FAILED_ENDS = new Set(['Failed', 'PartiallyFailed', 'FailedValidation']);

/**
 * The Restore of this step: the newest one labelled with the incident and step when it still runs
 * or completed (a Retry after a timeout, another replica), otherwise a new attempt after a failed one.
 */
async function restoreOfStep(kube: Kube, input: Input, incidentId: string) {
  const namespace = input.veleroNamespace;
  const selector = `${INCIDENT_LABEL}=${slug(incidentId)},${STEP_LABEL}=${slug(input.step)}`;
  const mine = await listVelero(kube, RESTORES, namespace, Restore, selector);
  const attemptOf = (r: Restore) => Number(r.metadata.labels?.[ATTEMPT_LABEL] ?? 0);
  const newest = mine.sort((a, b) => attemptOf(b) - attemptOf(a))[0];
  if (newest && !FAILED_ENDS.has(newest.status?.phase ?? ''))
    return { adopt: newest.metadata.name, attempt: 0 };
  return { adopt: undefined, attempt: (newest ? attemptOf(newest) : 0) + 1 };
}

async function create(kube: Kube, input: Input, incidentId: string, attempt: number): Promise<string> {
  const namespace = input.veleroNamespace;
  const name = restoreName(incidentId, input.step, attempt);
  const spec = {
    ...(input.backup ? { backupName: input.backup } : { scheduleName: input.schedule }),
    ...(input.namespaces ? { includedNamespaces: input.namespaces } : {}),
    ...(input.namespaceMapping ? { namespaceMapping: input.namespaceMapping } : {}),
    restorePVs: input.restorePVs,
    ...(input.existingResourcePolicy ? { existingResourcePolicy: input.existingResourcePolicy } : {}),
  };
  const labels = {
    [INCIDENT_LABEL]: slug(incidentId),
    [STEP_LABEL]: slug(input.step),
    [ATTEMPT_LABEL]: String(attempt),
  };
  const body = { apiVersion: 'velero.io/v1', kind: 'Restore', metadata: { name, namespace, labels }, spec };
  await kube.call({ verb: 'create', resource: RESTORES, namespace, name }, (options) =>
    kube
      .api(CustomObjectsApi)
      .createNamespacedCustomObject(
        { group: 'velero.io', version: 'v1', namespace, plural: 'restores', body },
        options,
      ),
  );
  return name;
}

async function run(input: Input, kube: Kube, context: ActionContext) {
  const started = Date.now();
  const namespace = input.veleroNamespace;
  const found = await restoreOfStep(kube, input, context.incidentId);
  let name: string;
  let planText: string | undefined;
  if (found.adopt !== undefined) {
    name = found.adopt;
    context.progress(`following Restore ${name}, made by an earlier run of this step`);
  } else {
    const checked = input.planDigest === undefined ? {} : await planChanged(kube, input, context.signal);
    planText = checked.text;
    if (checked.problem)
      return {
        completed: true,
        result: { name: '', phase: 'NotStarted', ...(planText ? { stdout: planText } : {}) },
        error: checked.problem,
      };
    name = restoreName(context.incidentId, input.step, found.attempt);
    try {
      await create(kube, input, context.incidentId, found.attempt);
      const from = input.backup
        ? `backup ${input.backup}`
        : `the latest backup of schedule ${input.schedule}`;
      context.progress(`created Restore ${name} from ${from}`);
    } catch (error) {
      // Another replica made it between our look and our create: follow that one.
      if (!(error instanceof KubeError && error.code === 'kube-conflict')) throw error;
      context.progress(`following Restore ${name}, made at the same moment by another replica`);
    }
  }
  const followed = await followRestore({
    kube,
    namespace,
    name,
    deadline: started + context.timeoutMs,
    signal: context.signal,
    progress: context.progress,
  });
  const last = followed.end === 'finished' ? followed.restore : followed.last;
  const error = lost(followed, name, namespace, context.timeoutMs);
  if (followed.end !== 'finished' || !TERMINAL_PHASES.has(followed.restore.status?.phase ?? '')) {
    return { completed: false, result: summary(name, last, started), ...(error ? { error } : {}) };
  }
  const [results, restored] = await Promise.all([
    download(kube, namespace, 'RestoreResults', name, context.signal),
    download(kube, namespace, 'RestoreResourceList', name, context.signal),
  ]);
  const verdict = judge(followed.restore, results, restored, input.allowWarnings);
  const report = [planText, verdict.result.stdout].filter(Boolean).join('\n\n');
  const result = { ...summary(name, followed.restore, started), ...verdict.result, stdout: report };
  return {
    completed: true,
    result,
    ...(verdict.problem
      ? {
          error: `${verdict.problem}; check it with: velero restore describe ${name} --details -n ${namespace}`,
        }
      : {}),
  };
}

function summary(name: string, restore: Restore | undefined, started: number) {
  const status = restore?.status;
  return {
    name,
    phase: status?.phase || 'New',
    errors: status?.errors ?? 0,
    warnings: status?.warnings ?? 0,
    itemsRestored: status?.progress?.itemsRestored ?? 0,
    totalItems: status?.progress?.totalItems ?? 0,
    durationMs: Date.now() - started,
  };
}

/** Creates (or adopts) this step's Velero Restore, follows it through every phase and judges it by its results. */
export const restore = (source: KubeConfigSource) => kubeAction(source, restoreContract, run);
