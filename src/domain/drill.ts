import type { Runbook } from './runbook.js';
import { hasTemplate } from './template.js';

/** Each production cluster name a runbook may use → the drill cluster that stands in for it. */
export type DrillClusters = Readonly<Record<string, string>>;

/** Actions that write a whole cluster's state: only into a cluster with no way back to production. */
const RESTORES = new Set(['etcd.snapshot-restore', 'velero.restore']);

/** `drills.cluster` is the short form of `drills.clusters: { primary: … }`. */
export function drillClustersOf(drills: {
  readonly cluster?: string | undefined;
  readonly clusters?: Readonly<Record<string, string>> | undefined;
}): DrillClusters {
  return { ...(drills.cluster ? { primary: drills.cluster } : {}), ...drills.clusters };
}

const CLUSTER_REF = /\{\{\s*cluster\.([a-z0-9-]+)/g;

/** Every cluster a runbook names: `cluster:` inputs written literally, and `{{ cluster.NAME… }}` anywhere. */
export function clustersNamed(runbook: Runbook): string[] {
  const names = new Set<string>();
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      if (key === 'cluster' && !hasTemplate(value)) names.add(value);
      for (const match of value.matchAll(CLUSTER_REF)) if (match[1]) names.add(match[1]);
    } else if (Array.isArray(value)) value.forEach((item) => walk(item));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(runbook);
  return [...names].sort();
}

/** Why this runbook may not run as a drill with this mapping, or undefined when every cluster it names has a stand-in. */
export function drillRefusal(runbook: Runbook, mapping: DrillClusters): string | undefined {
  if (Object.keys(mapping).length === 0)
    return 'No drill cluster is configured, so a drill could only reach production. Set drills.cluster (or drills.clusters) in LIFEBOAT_CONFIG to a cluster that may be broken at will.';
  const unmapped = clustersNamed(runbook).filter((name) => !Object.hasOwn(mapping, name));
  if (unmapped.length > 0)
    return `Runbook ${runbook.id} uses cluster${unmapped.length > 1 ? 's' : ''} ${unmapped.join(', ')}, which no drill cluster stands in for. Add ${unmapped.map((name) => `drills.clusters.${name}`).join(', ')} to LIFEBOAT_CONFIG.`;
  return undefined;
}

/** Drill clusters this runbook would restore a whole cluster's state into: each must be marked isolated. */
export function restoreTargets(runbook: Runbook, mapping: DrillClusters): string[] {
  const restores = runbook.steps.some(
    (step) => RESTORES.has(step.action) || RESTORES.has(step.rollback?.action ?? ''),
  );
  if (!restores) return [];
  // A restore into a cluster named by a param (cluster-rebuild) may reach any stand-in: all must be isolated.
  const named = restoresIntoParam(runbook) ? Object.keys(mapping) : clustersNamed(runbook);
  return [...new Set(named.flatMap((name) => (mapping[name] ? [mapping[name]] : [])))];
}

/** Whether a restore step (or its rollback) takes its cluster from a template, so no name is known before it runs. */
function restoresIntoParam(runbook: Runbook): boolean {
  const templated = (
    call: { action: string; with?: Readonly<Record<string, unknown>> | undefined } | undefined,
  ) =>
    call !== undefined &&
    RESTORES.has(call.action) &&
    typeof call.with?.cluster === 'string' &&
    hasTemplate(call.with.cluster);
  return runbook.steps.some((step) => templated(step) || templated(step.rollback));
}
