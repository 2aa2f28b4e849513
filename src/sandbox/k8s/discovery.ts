import { RESOURCES, versionOf, type ClusterState, type Json, type Plural } from './store.js';

/**
 * API discovery and CRD-served kinds, built from what the emulator serves, at the version it serves
 * it (store.ts versionOf). `GET /apis` answers an APIGroupList (each group's name, versions and
 * preferredVersion); `GET /api/v1` and `GET /apis/GROUP/VERSION` an APIResourceList of APIResources
 * (name is the plural, namespaced, kind, verbs; subresources as `plural/sub`): k8s.io/apimachinery
 * pkg/apis/meta/v1/types.go, read by client-go discovery ServerResourcesForGroupVersion. A custom
 * resource is served only while its CustomResourceDefinition, named PLURAL.GROUP, exists
 * (apiextensions-apiserver pkg/apiserver/customresource_handler.go answers 404 for a CRD that is not there).
 */

/** Groups the emulator serves as CRDs (Velero's are installed with it: `veleroInstalled`). */
const CUSTOM_GROUPS = new Set(['cert-manager.io']);

/** Whether the API server serves this resource now: built in, Velero while installed, others while their CRD exists. */
export function served(state: ClusterState, plural: Plural): boolean {
  const { group } = RESOURCES[plural];
  if (group === 'velero.io') return state.veleroInstalled;
  if (!CUSTOM_GROUPS.has(group)) return true;
  return state.find('customresourcedefinitions', undefined, `${plural}.${group}`) !== undefined;
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

const servedPlurals = (state: ClusterState): Plural[] =>
  (Object.keys(RESOURCES) as Plural[]).filter((plural) => served(state, plural));

/** `GET /apis`: an APIGroupList (name, versions, preferredVersion) of the groups served now, at the versions they are served. */
export function groupList(state: ClusterState): Json {
  const versions = new Map<string, Set<string>>();
  for (const plural of servedPlurals(state)) {
    const { group } = RESOURCES[plural];
    if (group) versions.set(group, (versions.get(group) ?? new Set()).add(versionOf(plural)));
  }
  const groups = [...versions].map(([name, served]) => {
    const list = [...served].sort().map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: list, preferredVersion: list[0] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** The APIResourceList of `group`/`version` ('' = core) as served now, or undefined when nothing of it is (then 404). */
export function resourceList(state: ClusterState, group: string, version: string): Json | undefined {
  const plurals = servedPlurals(state).filter(
    (plural) => RESOURCES[plural].group === group && versionOf(plural) === version,
  );
  if (plurals.length === 0) return undefined;
  const resources = plurals.flatMap((plural) => {
    const { kind, namespaced } = RESOURCES[plural];
    const main = { name: plural, singularName: kind.toLowerCase(), namespaced, kind, verbs: VERBS };
    const scale = {
      name: `${plural}/scale`,
      singularName: '',
      namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    };
    return plural === 'deployments' || plural === 'statefulsets' ? [main, scale] : [main];
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
