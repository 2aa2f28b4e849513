import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPlural, RESOURCES, type Json, type Plural } from './store.js';

/** The HTTP side of the API server: paths, Status bodies, request bodies, injected failures. */

/** A canned failure for requests whose `METHOD path?query` matches, `times` times (default: until cleared). */
export type Fault = {
  method?: string;
  path: string | RegExp;
  status: number;
  message?: string;
  times?: number;
};

export type Target = { plural: Plural; namespace?: string; name?: string; subresource?: string };

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'AlreadyExists',
  415: 'UnsupportedMediaType',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

export function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export function status(res: ServerResponse, code: number, message: string, details: Json = {}): void {
  const reason = REASONS[code] ?? 'Unknown';
  json(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  });
}

/** `/api/v1/nodes`, `/api/v1/namespaces/x`, `/apis/apps/v1/namespaces/ns/deployments/web/scale`. */
export function parse(pathname: string): Target | undefined {
  const match = /^\/(?:api\/v1|apis\/([^/]+)\/v1)\/(.+)$/.exec(pathname);
  if (!match) return undefined;
  const rest = (match[2] ?? '').split('/').map(decodeURIComponent);
  const [first, second, third, fourth, fifth] = rest;
  const namespaced = first === 'namespaces' && rest.length >= 3;
  const [plural, namespace, name, subresource] = namespaced
    ? [third, second, fourth, fifth]
    : [first, undefined, second, third];
  if (!plural || !isPlural(plural) || RESOURCES[plural].group !== (match[1] ?? '')) return undefined;
  if (RESOURCES[plural].namespaced !== namespaced) return undefined;
  return {
    plural,
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
