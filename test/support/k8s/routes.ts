import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, parse, readBody, status, takeFault, type Fault, type Target } from './protocol.js';
import { RESOURCES, type ClusterState, type Json, type KObject, type Plural } from './store.js';
import { serveWatch, type DropPlan } from './watch.js';

export type { Fault };

/** What the routes need from the emulator. */
export type Served = {
  readonly state: ClusterState;
  readonly token: string;
  readonly faults: Fault[];
  readonly drop: DropPlan;
  readonly requests: string[];
  readonly stats: { watches: number };
  created(plural: Plural, object: KObject): void;
  /** What the API server does to a create before storing it (CRD schema validation and pruning); a Status refuses it. */
  admit?(plural: Plural, object: KObject): { object: KObject } | { refused: Json & { code: number } };
};

export function wrap(plural: Plural, object: KObject): KObject {
  const { group, kind } = RESOURCES[plural];
  return { apiVersion: group ? `${group}/v1` : 'v1', kind, ...object };
}

function scaleOf(object: KObject): Json {
  const replicas = Number(object.spec?.replicas ?? 1);
  // Like the real API, a zero is left out of the JSON.
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
    spec: replicas ? { replicas } : {},
    status: { replicas: Number(object.status?.replicas ?? 0) },
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
  readonly target: Target;
};

/** GET (list or watch) and POST on a collection. */
function collection({ served, method, url, body, target }: Request, res: ServerResponse): void {
  const { state } = served;
  const { plural, namespace } = target;
  const { group, kind } = RESOURCES[plural];
  const query = {
    labelSelector: url.searchParams.get('labelSelector'),
    fieldSelector: url.searchParams.get('fieldSelector'),
  };
  if (method === 'GET' && url.searchParams.get('watch') === 'true') {
    served.stats.watches += 1;
    const resourceVersion = url.searchParams.get('resourceVersion');
    const wrapped = (object: KObject) => wrap(plural, object);
    return serveWatch(
      { state, plural, namespace, query, resourceVersion, drop: served.drop, wrap: wrapped },
      res,
    );
  }
  if (method === 'GET')
    return json(res, 200, {
      apiVersion: group ? `${group}/v1` : 'v1',
      kind: `${kind}List`,
      metadata: { resourceVersion: state.resourceVersion },
      items: state.list(plural, namespace, query),
    });
  if (method !== 'POST') return status(res, 405, `${method} is not supported on collections by the emulator`);
  const admitted = served.admit?.(plural, body as KObject) ?? { object: body as KObject };
  if ('refused' in admitted) return json(res, admitted.refused.code, admitted.refused);
  const object = admitted.object;
  if (state.find(plural, namespace, object.metadata.name))
    return status(res, 409, `${plural}.${group} "${object.metadata.name}" already exists`);
  const metadata = { ...object.metadata, ...(namespace ? { namespace } : {}) };
  const stored = state.add(plural, { ...object, metadata });
  served.created(plural, stored);
  json(res, 201, wrap(plural, stored));
}

/** GET and PATCH on one object or its scale subresource. */
function item({ served, method, body, contentType, target }: Request, res: ServerResponse): void {
  const { plural, namespace, name = '', subresource } = target;
  const { group } = RESOURCES[plural];
  const object = served.state.find(plural, namespace, name);
  if (!object) {
    const details = { name, group, kind: plural };
    return status(res, 404, `${plural}${group ? `.${group}` : ''} "${name}" not found`, details);
  }
  const view = (o: KObject) => (subresource === 'scale' ? scaleOf(o) : wrap(plural, o));
  if (method === 'GET') return json(res, 200, view(object));
  if (method !== 'PATCH') return status(res, 405, `${method} is not supported on objects by the emulator`);
  const replicas = replicasFrom(contentType, body);
  if (replicas === undefined) return status(res, 415, 'expected a patch of spec.replicas');
  const changed = served.state.update(plural, namespace, name, (o) => {
    o.spec = { ...o.spec, replicas };
    o.metadata.generation = (o.metadata.generation ?? 1) + 1;
  });
  json(res, 200, view(changed));
}

export async function route(served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'https://emulator');
  const body = await readBody(req);
  served.requests.push(`${method} ${url.pathname}${url.search}`);
  if (req.headers.authorization !== `Bearer ${served.token}`) return status(res, 401, 'Unauthorized');
  const fault = takeFault(served.faults, method, url);
  if (fault) return status(res, fault.status, fault.message ?? `injected ${fault.status}`);
  const { state } = served;
  if (url.pathname === '/readyz')
    return void res.writeHead(state.readyz.status, { 'content-type': 'text/plain' }).end(state.readyz.body);
  if (url.pathname === '/version') return json(res, 200, state.version);
  const target = parse(url.pathname);
  const velero = url.pathname.startsWith('/apis/velero.io/');
  if (!target || (velero && !state.veleroInstalled))
    return status(res, 404, 'the server could not find the requested resource');
  const request = { served, method, url, body, contentType: req.headers['content-type'] ?? '', target };
  return target.name === undefined ? collection(request, res) : item(request, res);
}
