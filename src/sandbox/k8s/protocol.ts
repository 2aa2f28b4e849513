import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from './store.js';

/** The HTTP side of the API server: paths, Status bodies, request bodies, injected failures. */

/**
 * A canned failure for requests whose `METHOD path?query` matches, `times` times (default: until
 * cleared): a Status with `reason` (default: the code's usual one) and, for 429/5xx, `Retry-After`.
 */
export type Fault = {
  method?: string;
  path: string | RegExp;
  status: number;
  message?: string;
  reason?: Reason;
  retryAfterSeconds?: number;
  times?: number;
};

/** metav1.StatusReason values (k8s.io/apimachinery/pkg/apis/meta/v1/types.go) the emulator answers with. */
export type Reason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'Unknown';

/** The reason each code carries when nothing more specific is said (apimachinery pkg/api/errors/errors.go). */
const REASONS: Record<number, Reason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'AlreadyExists',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function json(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** A metav1.Status as the API server writes it for a failure (api-conventions.md, "Response Status Kind"). */
export function statusObject(code: number, message: string, details: Json = {}, reason?: Reason): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: reason ?? REASONS[code] ?? 'Unknown',
    details,
    code,
  };
}

export function status(
  res: ServerResponse,
  code: number,
  message: string,
  details: Json = {},
  reason?: Reason,
): void {
  // The API server puts the wait in both the header and details.retryAfterSeconds (errors.go NewTooManyRequests).
  const wait = details.retryAfterSeconds;
  const headers: Record<string, string> = typeof wait === 'number' ? { 'retry-after': String(wait) } : {};
  json(res, code, statusObject(code, message, details, reason), headers);
}

/** The service account the emulator's callers are, as an RBAC denial names them. */
export const CALLER = 'system:serviceaccount:lifeboat:lifeboat';

const VERBS: Record<string, string> = { POST: 'create', PATCH: 'patch', PUT: 'update', DELETE: 'delete' };

/**
 * What the RBAC authorizer says when it denies this request (apiserver endpoints/handlers/
 * responsewriters/errors.go forbiddenMessage, wrapped by apimachinery errors.NewForbidden).
 */
export function rbacDenial(method: string, url: URL): string {
  const target = parse(url.pathname);
  if (!target) return `forbidden: User "${CALLER}" cannot ${method.toLowerCase()} path "${url.pathname}"`;
  const { group } = target;
  const watch = url.searchParams.get('watch') === 'true';
  const verb = VERBS[method] ?? (target.name === undefined ? (watch ? 'watch' : 'list') : 'get');
  const resource = `${target.plural}${target.subresource ? `/${target.subresource}` : ''}`;
  const qualified = `${target.plural}${group ? `.${group}` : ''}`;
  const subject = target.name === undefined ? qualified : `${qualified} "${target.name}"`;
  const scope = target.namespace ? `in the namespace "${target.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${CALLER}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`;
}

/** Answers an injected fault as the API server would answer that failure; a bare 403 as an RBAC denial. */
export function faultStatus(res: ServerResponse, fault: Fault, method: string, url: URL): void {
  const details = fault.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: fault.retryAfterSeconds };
  const fallback = fault.status === 403 ? rbacDenial(method, url) : `injected ${fault.status}`;
  status(res, fault.status, fault.message ?? fallback, details, fault.reason);
}

/** A resource path's parts, before it is known whether anything is served there. */
export type ResourcePath = {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  namespace?: string;
  name?: string;
  subresource?: string;
};

/** `/api/v1/nodes`, `/api/v1/namespaces/x`, `/apis/apps/v1/namespaces/ns/deployments/web/scale`. */
export function parse(pathname: string): ResourcePath | undefined {
  const match = /^\/(?:api\/(v1)|apis\/([^/]+)\/(v\d+\w*))\/(.+)$/.exec(pathname);
  if (!match) return undefined;
  const rest = (match[4] ?? '').split('/').map(decodeURIComponent);
  const [first, second, third, fourth, fifth] = rest;
  const namespaced = first === 'namespaces' && rest.length >= 3;
  const [plural, namespace, name, subresource] = namespaced
    ? [third, second, fourth, fifth]
    : [first, undefined, second, third];
  if (!plural) return undefined;
  return {
    group: match[2] ?? '',
    version: match[1] ?? match[3] ?? '',
    plural,
    namespaced,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    ...(subresource ? { subresource } : {}),
  };
}

export function takeFault(faults: Fault[], method: string, url: URL): Fault | undefined {
  const where = `${url.pathname}${url.search}`;
  const index = faults.findIndex(
    (f) =>
      (!f.method || f.method === method) &&
      (typeof f.path === 'string' ? url.pathname.includes(f.path) : f.path.test(where)),
  );
  const fault = faults[index];
  if (fault?.times !== undefined && --fault.times <= 0) faults.splice(index, 1);
  return fault;
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}
