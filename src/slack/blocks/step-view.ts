import { maskSealed } from '../../domain/sealed.js';
import type { DrillClusters } from '../../domain/drill.js';
import { incidentScope } from '../../domain/binding.js';
import type { IncidentState, StepStatus } from '../../domain/incident.js';
import type { ActionCall } from '../../domain/runbook.js';
import { renderDeep } from '../../domain/template.js';

export const STATUS_ICON: Readonly<Record<StepStatus, string>> = {
  pending: '⬜',
  requested: '⏳',
  running: '🔄',
  passed: '✅',
  failed: '❌',
  interrupted: '⚠️',
  skipped: '⏭️',
  'rolling-back': '↩️',
  'rolled-back': '↩️',
};

const quote = (arg: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;

/** Exactly what a step will run, with what is known filled in: the command line, or the action and its inputs. */
export function describeCall(state: IncidentState, call: ActionCall): string {
  return maskSealed(describeUnmasked(state, call));
}

function describeUnmasked(state: IncidentState, call: ActionCall): string {
  let input: unknown;
  try {
    input = renderDeep(call.with ?? {}, incidentScope(state, { workdir: '$WORKDIR' }));
  } catch {
    input = call.with ?? {};
  }
  const args = input as Record<string, unknown>;
  if (call.action === 'shell' && Array.isArray(args.command))
    return (args.command as unknown[]).map((a) => quote(String(a))).join(' ');
  const parts = Object.entries(args).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return `${call.action} ${parts.join(' ')}`.trim();
}

/** In a drill a cluster name means its stand-in: show the cluster the action will really reach. */
export function targetOf(
  state: IncidentState,
  call: ActionCall,
  drillClusters: DrillClusters = {},
): string | undefined {
  const cluster = call.with?.cluster;
  if (typeof cluster !== 'string') return undefined;
  if (state.mode !== 'drill') return cluster;
  const drill = Object.hasOwn(drillClusters, cluster) ? drillClusters[cluster] : undefined;
  return drill ? `${drill} (drill for ${cluster})` : `${cluster} (no drill cluster: will not run)`;
}
