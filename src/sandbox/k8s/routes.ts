import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultStatus, json, parse, readBody, status, takeFault, type Fault } from './protocol.js';
import { parseSelector, selectorString } from './labels.js';
import { builtIn, groupList, resolve, resourceList, type Resource } from './discovery.js';
import { isPlural, type ClusterState, type Json, type KObject, type ResourceKey } from './store.js';
import { serveWatch, type DropPlan } from './watch.js';

export type { Fault };

/** What the routes need from the emulator. */
export type Served = {
  readonly state: ClusterState;
  readonly token: string;
  readonly faults: Fault[];
  readonly drop: DropPlan;
  readonly requests: string[];
  /** The Accept header of each request, in the order of `requests`. */
  readonly accepts: string[];
  readonly stats: { watches: number };
  readonly bookmarkEveryMs: number;
  /**
   * API groups served by an aggregated API server built on k8s.io/apiserver before 1.15: it transforms
   * lists to meta.k8s.io/v1beta1 only (apiserver commit 1394d8d85 added v1), so a v1 metadata-only list is 406.
   */
  readonly legacyAggregatedGroups: ReadonlySet<string>;
  created(plural: ResourceKey, object: KObject): void;
  /** What the API server does to a create before storing it (CRD schema validation and pruning); a Status refuses it. */
  admit?(plural: ResourceKey, object: KObject): { object: KObject } | { refused: Json & { code: number } };
};

/** A request for objects of a served resource. */
type Target = { resource: Resource; namespace?: string; name?: string; subresource?: string };

const apiVersionOf = ({ group, version }: Resource): string => (group ? `${group}/${version}` : version);

export function wrap(resource: Resource, object: KObject): KObject {
  return { apiVersion: apiVersionOf(resource), kind: resource.kind, ...object };
}

function scaleOf(object: KObject): Json {
  const replicas = Number(object.spec?.replicas ?? 1);
  // Like the real API, a zero is left out of the JSON.
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
    spec: replicas ? { replicas } : {},
    // The label query over the workload's pods, which an HPA reads (autoscaling/v1 ScaleStatus.selector).
    status: {
      replicas: Number(object.status?.replicas ?? 0),
      selector: selectorString(object.spec?.selector),
    },
  };
}

/** Replicas from a merge patch `{spec:{replicas}}` or a JSON patch `[{op, path: /spec/replicas, value}]`. */
function replicasFrom(contentType: string, body: unknown): number | undefined {
  if (contentType.startsWith('application/json-patch+json') && Array.isArray(body)) {
    const op = (body as { path?: string; value?: unknown }[]).find((o) => o.path === '/spec/replicas');
    return typeof op?.value === 'number' ? op.value : undefined;
  }
  if (contentType.includes('merge-patch+json')) {
    const value = (body as { spec?: { replicas?: unknown } } | null)?.spec?.replicas;
    return typeof value === 'number' ? value : undefined;
  }
  return undefined;
}

type Request = {
  readonly served: Served;
  readonly method: string;
  readonly url: URL;
  readonly body: unknown;
  readonly contentType: string;
  readonly accept: string;
  readonly target: Target;
};

/** Whether the client asked for the list as PartialObjectMetadataList (client-go metadata client, kubectl). */
const asMetadataList = (accept: string): boolean =>
  accept
    .split(',')
    .map((type) => type.replace(/\s/g, ''))
    .some((type) => type.startsWith('application/json;') && type.includes('as=PartialObjectMetadataList'));

/**
 * The list as the API server transforms it for that Accept (apiserver endpoints/handlers/response.go
 * asPartialObjectMetadataList): kind PartialObjectMetadataList of meta.k8s.io/v1, each item its metadata only.
 */
function metadataList(items: KObject[], metadata: Json): Json {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    items: items.map((item) => ({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: item.metadata,
    })),
  };
}

const qualified = ({ plural, group }: Resource): string => (group ? `${plural}.${group}` : plural);

/**
 * What content negotiation answers when no Accept clause can be served (apiserver endpoints/handlers/
 * negotiation: NegotiateOutputMediaType returns NewNotAcceptableError with the serializer's media types).
 */
const NOT_ACCEPTABLE =
  'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

/** GET (list or watch) and POST on a collection. */
function collection({ served, method, url, body, target, accept }: Request, res: ServerResponse): void {
  const { state } = served;
  const { resource, namespace } = target;
  const { key: plural, group, kind } = resource;
  const param = (name: string) => url.searchParams.get(name);
  const query = { labelSelector: param('labelSelector'), fieldSelector: param('fieldSelector') };
  const invalid = query.labelSelector ? parseSelector(query.labelSelector) : [];
  if (typeof invalid === 'string') return status(res, 400, `unable to parse requirement: ${invalid}`);
  const apiVersion = apiVersionOf(resource);
  const resourceVersion = param('resourceVersion');
  if (method === 'GET' && param('watch') === 'true') {
    served.stats.watches += 1;
    const timeout = param('timeoutSeconds');
    return serveWatch(
      {
        state,
        plural,
        namespace,
        query,
        resourceVersion,
        drop: served.drop,
        wrap: (object: KObject) => wrap(resource, object),
        typeMeta: { apiVersion, kind },
        bookmarks: param('allowWatchBookmarks') === 'true',
        bookmarkEveryMs: served.bookmarkEveryMs,
        timeoutSeconds: timeout === null ? undefined : Number(timeout),
      },
      res,
    );
  }
  if (method === 'GET') {
    // An exact list at a compacted revision cannot be served (apiserver storage: "too old resource version").
    const exact = param('resourceVersionMatch') === 'Exact';
    if (exact && Number(resourceVersion) < state.compactedThrough)
      return status(res, 410, `too old resource version: ${resourceVersion} (${state.compactedThrough})`);
    const items = state.list(plural, namespace, query);
    const metadata = { resourceVersion: state.resourceVersion };
    if (asMetadataList(accept)) return json(res, 200, metadataList(items, metadata));
    return json(res, 200, { apiVersion, kind: `${kind}List`, metadata, items });
  }
  if (method !== 'POST') return status(res, 405, `${method} is not supported on collections by the emulator`);
  const admitted = served.admit?.(plural, body as KObject) ?? { object: body as KObject };
  if ('refused' in admitted) return json(res, admitted.refused.code, admitted.refused);
  const object = admitted.object;
  const name = object?.metadata?.name;
  const details = { name, group, kind: resource.plural };
  if (!name)
    return status(
      res,
      422,
      `${kind}.${group} "" is invalid: metadata.name: Required value: name or generateName is required`,
      {
        ...details,
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: name or generateName is required',
            field: 'metadata.name',
          },
        ],
      },
    );
  if (state.find(plural, namespace, name))
    return status(res, 409, `${qualified(resource)} "${name}" already exists`, details, 'AlreadyExists');
  const metadata = { ...object.metadata, ...(namespace ? { namespace } : {}) };
  const stored = state.add(plural, { ...object, metadata });
  served.created(plural, stored);
  json(res, 201, wrap(resource, stored));
}

/** The resourceVersion a write was made against, if it says: a PUT's object, or a patch's metadata. */
function precondition(body: unknown): string | undefined {
  const version = (body as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof version === 'string' && version !== '' ? version : undefined;
}

/**
 * DELETE of a custom resource: gone at once, answered with a Status Success naming it (apiserver
 * registry/generic/registry/store.go finalizeDelete). A CRD is answered as marked for deletion
 * (apiextensions-apiserver pkg/registry/customresourcedefinition/etcd.go Delete), then its cleanup
 * finalizer deletes its custom resources and the CRD goes (pkg/controller/finalizer/crd_finalizer.go): at once here.
 */
function remove(state: ClusterState, target: Target, object: KObject, res: ServerResponse): void {
  const { resource, namespace, name = '' } = target;
  state.remove(resource.key, namespace, name);
  if (resource.key !== 'customresourcedefinitions') {
    const details = { name, group: resource.group, kind: resource.plural };
    return json(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
  }
  const { group = '', names = {} } = (object.spec ?? {}) as { group?: string; names?: { plural?: string } };
  const key = `${names.plural ?? ''}.${group}` as const;
  for (const cr of state.list(key, undefined)) state.remove(key, cr.metadata.namespace, cr.metadata.name);
  const deletionTimestamp = new Date().toISOString();
  json(res, 200, wrap(resource, { ...object, metadata: { ...object.metadata, deletionTimestamp } }));
}

/** GET, PATCH and PUT on one object or its scale subresource; DELETE of a custom resource or a CRD. */
function item({ served, method, body, contentType, target }: Request, res: ServerResponse): void {
  const { resource, namespace, name = '', subresource } = target;
  const { key: plural, group } = resource;
  const object = served.state.find(plural, namespace, name);
  const details = { name, group, kind: resource.plural };
  if (!object) return status(res, 404, `${qualified(resource)} "${name}" not found`, details);
  const view = (o: KObject) => (subresource === 'scale' ? scaleOf(o) : wrap(resource, o));
  if (method === 'GET') return json(res, 200, view(object));
  // Built-in kinds are not deleted here: a Namespace would go Terminating first (namespace controller).
  const deletable = !isPlural(plural) || plural === 'customresourcedefinitions';
  if (method === 'DELETE' && !subresource && deletable) return remove(served.state, target, object, res);
  const put = method === 'PUT' && subresource === 'scale';
  if (method !== 'PATCH' && !put)
    return status(res, 405, `${method} is not supported on objects by the emulator`);
  // Optimistic concurrency: a write against an older resourceVersion is refused (api-conventions.md, "Concurrency Control and Consistency").
  const expected = precondition(body);
  if (expected !== undefined && expected !== object.metadata.resourceVersion)
    return status(
      res,
      409,
      `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      details,
      'Conflict',
    );
  if (plural === 'horizontalpodautoscalers')
    return patchAutoscaler(served, target, object, contentType, body, res);
  const replicas = replicasFrom(put ? 'application/merge-patch+json' : contentType, body);
  if (replicas === undefined) return status(res, 415, 'expected a patch of spec.replicas');
  if (!Number.isInteger(replicas) || replicas < 0) {
    const why = `Invalid value: ${replicas}: must be greater than or equal to 0`;
    const scale = { name, group: 'autoscaling', kind: 'Scale' };
    return status(res, 422, `Scale.autoscaling "${name}" is invalid: spec.replicas: ${why}`, {
      ...scale,
      causes: [{ reason: 'FieldValueInvalid', message: why, field: 'spec.replicas' }],
    });
  }
  // A write that changes nothing is a no-op: no new resourceVersion, no new generation.
  if (Number(object.spec?.replicas ?? 1) === replicas) return json(res, 200, view(object));
  const changed = served.state.update(plural, namespace, name, (o) => {
    o.spec = { ...o.spec, replicas };
    o.metadata.generation = (o.metadata.generation ?? 1) + 1;
  });
  json(res, 200, view(changed));
}

/**
 * A merge patch of an HPA's spec.minReplicas / spec.maxReplicas, checked as the API server does
 * (kubernetes pkg/apis/autoscaling/validation/validation.go validateHorizontalPodAutoscalerSpec:
 * minReplicas ≥ 1, maxReplicas ≥ 1 and ≥ minReplicas).
 */
function patchAutoscaler(
  served: Served,
  target: Request['target'],
  object: KObject,
  contentType: string,
  body: unknown,
  res: ServerResponse,
): void {
  const { namespace, name = '' } = target;
  if (!contentType.includes('merge-patch+json'))
    return status(res, 415, 'expected a merge patch of the HPA spec');
  const patch = (body as { spec?: { minReplicas?: unknown; maxReplicas?: unknown } } | null)?.spec ?? {};
  const minReplicas = Number(patch.minReplicas ?? object.spec?.minReplicas ?? 1);
  const maxReplicas = Number(patch.maxReplicas ?? object.spec?.maxReplicas);
  const causes = [
    ...(Number.isInteger(minReplicas) && minReplicas >= 1
      ? []
      : [
          {
            field: 'spec.minReplicas',
            message: `Invalid value: ${minReplicas}: must be greater than or equal to 1`,
          },
        ]),
    ...(Number.isInteger(maxReplicas) && maxReplicas >= minReplicas
      ? []
      : [
          {
            field: 'spec.maxReplicas',
            message: `Invalid value: ${maxReplicas}: must be greater than or equal to \`minReplicas\``,
          },
        ]),
  ];
  if (causes.length)
    return status(
      res,
      422,
      `HorizontalPodAutoscaler.autoscaling "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
      {
        name,
        group: 'autoscaling',
        kind: 'HorizontalPodAutoscaler',
        causes: causes.map((c) => ({ reason: 'FieldValueInvalid', ...c })),
      },
    );
  const changed = served.state.update('horizontalpodautoscalers', namespace, name, (o) => {
    o.spec = { ...o.spec, minReplicas, maxReplicas };
    o.metadata.generation = (o.metadata.generation ?? 1) + 1;
  });
  json(res, 200, wrap(builtIn('horizontalpodautoscalers'), changed));
}

export async function route(served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'https://emulator');
  const body = await readBody(req);
  served.requests.push(`${method} ${url.pathname}${url.search}`);
  served.accepts.push(req.headers.accept ?? '');
  if (req.headers.authorization !== `Bearer ${served.token}`) return status(res, 401, 'Unauthorized');
  const fault = takeFault(served.faults, method, url);
  if (fault) return faultStatus(res, fault, method, url);
  const { state } = served;
  if (url.pathname === '/readyz')
    return void res.writeHead(state.readyz.status, { 'content-type': 'text/plain' }).end(state.readyz.body);
  if (url.pathname === '/version') return json(res, 200, state.version);
  if (url.pathname.replace(/\/$/, '') === '/apis' && method === 'GET')
    return json(res, 200, groupList(state));
  const groupVersion = /^\/(?:api\/(v\d+\w*)|apis\/([^/]+)\/(v\d+\w*))\/?$/.exec(url.pathname);
  if (groupVersion && method === 'GET') {
    const [, core, group = '', version = core ?? ''] = groupVersion;
    const list = resourceList(state, group, version);
    return list ? json(res, 200, list) : status(res, 404, 'the server could not find the requested resource');
  }
  const path = parse(url.pathname);
  const resource = path && resolve(state, path.group, path.version, path.plural);
  if (!path || !resource || resource.namespaced !== path.namespaced)
    return status(res, 404, 'the server could not find the requested resource');
  const { namespace, name, subresource } = path;
  const target = { resource, namespace, name, subresource };
  const accept = req.headers.accept ?? '';
  if (method === 'GET' && asMetadataList(accept) && served.legacyAggregatedGroups.has(resource.group))
    return status(res, 406, NOT_ACCEPTABLE);
  const request = {
    served,
    method,
    url,
    body,
    contentType: req.headers['content-type'] ?? '',
    accept,
    target,
  };
  return target.name === undefined ? collection(request, res) : item(request, res);
}
