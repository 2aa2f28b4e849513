import { incidentScope } from '../domain/binding.js';
import type { IncidentState } from '../domain/incident.js';
import type { TemplateScope } from '../domain/template.js';

import type { ClusterRef } from '../domain/config.js';
import type { ClusterTarget } from './action-port.js';

export type ClusterConfig = Readonly<Record<string, ClusterRef>>;

/** In a drill every `primary` is sent to the drill cluster, so a drill can never touch production. */
export function effectiveClusters(
  clusters: ClusterConfig,
  mode: IncidentState['mode'],
  drillCluster?: string,
): ClusterConfig {
  const drill = drillCluster ? clusters[drillCluster] : undefined;
  if (mode !== 'drill' || !drill) return clusters;
  return { ...clusters, primary: drill };
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
  drillCluster?: string,
): TemplateScope {
  return incidentScope(state, { workdir, cluster: effectiveClusters(clusters, state.mode, drillCluster) });
}
