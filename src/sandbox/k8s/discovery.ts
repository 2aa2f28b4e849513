import {
  RESOURCES,
  versionOf,
  type ClusterState,
  type Json,
  type KObject,
  type Plural,
  type ResourceKey,
} from './store.js';

/**
 * API discovery and what is served, at the version it is served. `GET /apis` answers an
 * APIGroupList (each group's name, versions and preferredVersion); `GET /api/v1` and
 * `GET /apis/GROUP/VERSION` an APIResourceList of APIResources (name is the plural, namespaced,
 * kind, verbs; subresources as `plural/sub`): k8s.io/apimachinery pkg/apis/meta/v1/types.go, read by
 * client-go discovery ServerResourcesForGroupVersion.
 */

/** One resource as served at one group/version: where its objects are kept and what they are. */
export type Resource = {
  readonly key: ResourceKey;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
};

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
// apiextensions-apiserver pkg/apiserver/customresource_discovery_controller.go: the verbs of every custom resource.
const CUSTOM_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** A built-in resource (Velero's only while it is installed: `veleroInstalled`). */
export function builtIn(plural: Plural): Resource {
  const { group, kind, namespaced } = RESOURCES[plural];
  const singular = kind.toLowerCase();
  return { key: plural, group, version: versionOf(plural), plural, kind, singular, namespaced, verbs: VERBS };
}

type CrdSpec = {
  group?: string;
  scope?: string;
  names?: { plural?: string; singular?: string; kind?: string };
  versions?: { name?: string; served?: boolean }[];
};

/**
 * The resources a CRD has served: one per version with `served: true`, named by `spec.names`, namespaced
 * when `scope` is Namespaced (customresource_discovery_controller.go; customresource_handler.go serves
 * only a served version of a CRD that exists). The naming controller accepts the names at once here: the
 * emulator refuses no name conflicts, and its CRDs are Established from creation.
 */
function customResources(crd: KObject): Resource[] {
  const { group = '', scope, names = {}, versions = [] } = (crd.spec ?? {}) as CrdSpec;
  const { plural = '', kind = '' } = names;
  if (!group || !plural || !kind) return [];
  const singular = names.singular || kind.toLowerCase();
  return versions
    .filter((v) => v.served === true && v.name)
    .map((v) => ({
      key: `${plural}.${group}` as const,
      group,
      version: v.name ?? '',
      plural,
      kind,
      singular,
      namespaced: scope === 'Namespaced',
      verbs: CUSTOM_VERBS,
    }));
}

/** Everything the API server serves now: built-ins, Velero while installed, and every CRD's served versions. */
export function servedResources(state: ClusterState): Resource[] {
  const builtIns = (Object.keys(RESOURCES) as Plural[])
    .filter((plural) => RESOURCES[plural].group !== 'velero.io' || state.veleroInstalled)
    .map(builtIn);
  const taken = new Set(builtIns.map((r) => `${r.group}/${r.plural}`));
  // The emulator serves Velero's kinds itself, so a seeded Velero CRD does not serve them twice.
  const custom = state.objects.customresourcedefinitions
    .flatMap(customResources)
    .filter((r) => !taken.has(`${r.group}/${r.plural}`));
  return [...builtIns, ...custom];
}

/** The resource at `/apis/GROUP/VERSION/PLURAL` (group '' = `/api/VERSION`), if it is served. */
export function resolve(
  state: ClusterState,
  group: string,
  version: string,
  plural: string,
): Resource | undefined {
  return servedResources(state).find(
    (r) => r.group === group && r.version === version && r.plural === plural,
  );
}

/** v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else (apimachinery pkg/version/helpers.go CompareKubeAwareVersionStrings). */
function kubeAwareOrder(a: string, b: string): number {
  const rank = (v: string) => {
    const [, major, stage = '', minor = '0'] = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v) ?? [];
    if (major === undefined) return [0, 0, 0];
    return [{ '': 3, beta: 2, alpha: 1 }[stage] ?? 0, Number(major), Number(minor)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i += 1) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
  return a.localeCompare(b);
}

/** `GET /apis`: an APIGroupList (name, versions, preferredVersion) of the groups served now, at the versions they are served. */
export function groupList(state: ClusterState): Json {
  const versions = new Map<string, Set<string>>();
  for (const { group, version } of servedResources(state))
    if (group) versions.set(group, (versions.get(group) ?? new Set()).add(version));
  const groups = [...versions].map(([name, served]) => {
    const list = [...served]
      .sort(kubeAwareOrder)
      .map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: list, preferredVersion: list[0] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** The APIResourceList of `group`/`version` ('' = core) as served now, or undefined when nothing of it is (then 404). */
export function resourceList(state: ClusterState, group: string, version: string): Json | undefined {
  const served = servedResources(state).filter((r) => r.group === group && r.version === version);
  if (served.length === 0) return undefined;
  const resources = served.flatMap(({ key, plural, singular, namespaced, kind, verbs }) => {
    const main = { name: plural, singularName: singular, namespaced, kind, verbs };
    const scale = {
      name: `${plural}/scale`,
      singularName: '',
      namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    };
    return key === 'deployments' || key === 'statefulsets' ? [main, scale] : [main];
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
