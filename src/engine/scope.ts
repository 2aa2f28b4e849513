import { incidentScope } from '../domain/binding.js';
import type { IncidentState } from '../domain/incident.js';
import type { TemplateScope } from '../domain/template.js';

import type { ClusterRef } from '../domain/config.js';
import type { DrillClusters } from '../domain/drill.js';
import type { ClusterTarget } from './action-port.js';

export type ClusterConfig = Readonly<Record<string, ClusterRef>>;

/**
 * In a drill the only clusters that exist are the stand-ins: each production name leads to its drill
 * cluster, and a name with no stand-in leads nowhere, so a drill can never touch production.
 */
export function effectiveClusters(
  clusters: ClusterConfig,
  mode: IncidentState['mode'],
  drillClusters: DrillClusters = {},
): ClusterConfig {
  if (mode !== 'drill') return clusters;
  return Object.fromEntries(
    Object.entries(drillClusters).flatMap(([name, drill]) => {
      const ref = Object.hasOwn(clusters, drill) ? clusters[drill] : undefined;
      return ref ? [[name, ref]] : [];
    }),
  );
}

/** An action's cluster by name; undefined for a name the config does not have (not even from Object's prototype). */
export function clusterLookup(clusters: ClusterConfig): (name: string) => ClusterTarget | undefined {
  return (name) => {
    const ref = Object.hasOwn(clusters, name) ? clusters[name] : undefined;
    return ref ? { name, ...ref } : undefined;
  };
}

/** Everything a runbook template can name while the incident runs. */
export function runtimeScope(
  state: IncidentState,
  workdir: string,
  clusters: ClusterConfig,
  drillClusters?: DrillClusters,
): TemplateScope {
  return incidentScope(state, { workdir, cluster: effectiveClusters(clusters, state.mode, drillClusters) });
}
