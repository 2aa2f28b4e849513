import { CoreV1Api } from '@kubernetes/client-node';
import { z } from 'zod';
import { KubeError } from '../k8s/errors.js';
import { getJson, type Kube } from '../k8s/kube-action.js';
import { splitKey, type KindCheck } from './plan.js';

/**
 * The metadata-only representation of a list, as client-go's metadata client and kubectl ask for it
 * (k8s.io/client-go/metadata: PartialObjectMetadataListMimeParameters): names without Secret data.
 * No plain `application/json` fallback: a server that cannot transform the list refuses (406)
 * rather than sending whole objects.
 */
export const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/** APIResourceList and APIResource (k8s.io/apimachinery pkg/apis/meta/v1/types.go), the fields read. */
const ResourceList = z.looseObject({
  resources: z.array(
    z.looseObject({
      name: z.string(),
      namespaced: z.boolean(),
      kind: z.string(),
      verbs: z.array(z.string()),
    }),
  ),
});

/** PartialObjectMetadataList: each item carries metadata only. */
const MetadataList = z.looseObject({
  items: z.array(z.looseObject({ metadata: z.looseObject({ name: z.string() }) })).nullish(),
});

type Served = { readonly plural: string; readonly namespaced: boolean; readonly listable: boolean };

/** The resources a group/version serves, by kind (subresources left out); undefined when it is not served (404). */
async function discover(
  kube: Kube,
  group: string,
  version: string,
): Promise<Map<string, Served> | undefined> {
  const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
  let raw: unknown;
  try {
    raw = await getJson(kube, { verb: 'get', resource: { plural: path, kind: path } }, path);
  } catch (error) {
    if (error instanceof KubeError && error.status === 404) return undefined;
    throw error;
  }
  const served = new Map<string, Served>();
  for (const r of ResourceList.parse(raw).resources)
    if (!r.name.includes('/'))
      served.set(r.kind, { plural: r.name, namespaced: r.namespaced, listable: r.verbs.includes('list') });
  return served;
}

async function namespaceExists(kube: Kube, name: string): Promise<boolean> {
  try {
    await kube.call({ verb: 'get', resource: { plural: 'namespaces', kind: 'Namespace' }, name }, (options) =>
      kube.api(CoreV1Api).readNamespace({ name }, options),
    );
    return true;
  } catch (error) {
    if (error instanceof KubeError && error.status === 404) return false;
    // Not allowed to tell: the kinds stay "could not check".
    if (error instanceof KubeError && error.status === 403) return true;
    throw error;
  }
}

export type Lookup = { readonly check: KindCheck; readonly names: ReadonlySet<string> };

/** What a refused list says about the kind, by status; any other failure fails the plan. */
const REFUSALS: Readonly<Record<number, KindCheck>> = {
  403: 'forbidden',
  404: 'not served',
  // No fallback to a full list, which would read Secret data (negotiation.NewNotAcceptableError).
  406: 'names only refused',
};

/**
 * Which objects of each resource-list key exist in `namespace`: the plural from API discovery (as
 * kubectl resolves a kind), then a metadata-only LIST. Not served, forbidden (403) and not acceptable
 * (406) are answers, not failures.
 */
export async function existingByKey(
  kube: Kube,
  keys: readonly string[],
  namespace: string,
): Promise<Map<string, Lookup>> {
  const discovered = new Map<string, Promise<Map<string, Served> | undefined>>();
  const found = new Map<string, Lookup>();
  const none = new Set<string>();
  for (const key of keys) {
    const { group, version, kind } = splitKey(key);
    const groupVersion = `${group}/${version}`;
    if (!discovered.has(groupVersion)) discovered.set(groupVersion, discover(kube, group, version));
    const resource = (await discovered.get(groupVersion))?.get(kind);
    if (!resource?.namespaced || !resource.listable) {
      found.set(key, { check: 'not served', names: none });
      continue;
    }
    const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
    try {
      const listed = await getJson(
        kube,
        { verb: 'list', resource: { plural: resource.plural, kind, ...(group ? { group } : {}) }, namespace },
        `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`,
        { accept: METADATA_LIST },
      );
      const names = (MetadataList.parse(listed).items ?? []).map((item) => item.metadata.name);
      found.set(key, { check: 'checked', names: new Set(names) });
    } catch (error) {
      const check =
        error instanceof KubeError && typeof error.status === 'number' ? REFUSALS[error.status] : undefined;
      if (!check) throw error;
      found.set(key, { check, names: none });
    }
  }
  // Could not tell (a RoleBinding in the namespace goes with it); but nothing can exist in a namespace that does not (NamespaceLifecycle admission).
  const unknown = (lookup: Lookup) => lookup.check === 'forbidden' || lookup.check === 'names only refused';
  if ([...found.values()].some(unknown) && !(await namespaceExists(kube, namespace)))
    for (const [key, lookup] of found) if (unknown(lookup)) found.set(key, { check: 'checked', names: none });
  return found;
}
