import type { DrillClusters } from '../domain/drill.js';
import os from 'node:os';
import { durationSeconds } from '../domain/duration.js';
import { choicesFor, type ChoiceList } from '../domain/choices.js';
import type { IncidentState } from '../domain/incident.js';
import type { ParamSpec } from '../domain/runbook.js';
import type { ActionRegistry } from './action-port.js';
import { redactDeep, redactor } from './redact.js';
import { runCall } from './run-call.js';
import { clusterLookup, effectiveClusters, runtimeScope, type ClusterConfig } from './scope.js';

export type ChoiceListerOptions = {
  readonly registry: ActionRegistry;
  readonly clusters: ClusterConfig;
  readonly drillClusters?: DrillClusters;
};

/** Listing is read-only and a person is waiting on an open modal: past this it falls back to typing. */
export const DEFAULT_LISTING_TIMEOUT = '10s';

/**
 * Runs a param's `choicesFrom` action for an incident (a drill lists from the drill cluster, as its
 * steps would run there) and turns its result into choices; never throws.
 */
export async function listChoices(
  options: ChoiceListerOptions,
  state: IncidentState,
  name: string,
  spec: ParamSpec,
): Promise<ChoiceList> {
  const call = 'choicesFrom' in spec ? spec.choicesFrom : undefined;
  if (!call) return { status: 'failed', error: `param ${name} lists no choices` };
  const workdir = os.tmpdir();
  const timeout = call.timeout ?? DEFAULT_LISTING_TIMEOUT;
  const outcome = await runCall(
    options.registry,
    { ...call, timeout, unattended: true },
    runtimeScope(state, workdir, options.clusters, options.drillClusters),
    {
      incidentId: state.id,
      workdir,
      signal: AbortSignal.timeout(durationSeconds(timeout) * 1000),
      progress: () => undefined,
      cluster: clusterLookup(effectiveClusters(options.clusters, state.mode, options.drillClusters)),
    },
  );
  const redact = redactor(process.env);
  if (!outcome.passed) return { status: 'failed', error: redact(outcome.error ?? 'the listing failed') };
  return choicesFor(name, spec, redactDeep(outcome.result, redact));
}
