import { ApiException } from '@kubernetes/client-node';
import type { ClusterTarget } from '../../engine/action-port.js';
import { LifeboatError, type ErrorCode } from '../../errors.js';

/** An API resource as RBAC names it (`restores.velero.io`) and as people name its objects (`Restore`). */
export type Resource = {
  readonly plural: string;
  readonly group?: string;
  readonly kind: string;
  readonly subresource?: string;
};

/** What was being asked when something went wrong, to say so in the error. */
export type Operation = {
  readonly verb: 'get' | 'list' | 'watch' | 'create' | 'patch';
  readonly resource: Resource;
  readonly namespace?: string;
  readonly name?: string;
  /** A write that leaves the same object however often it lands (a scale to a fixed count), so safe to repeat. */
  readonly idempotent?: boolean;
};

/** The code callers decide on: the HTTP status as Kubernetes means it, or no answer at all. */
function kubeCode(status: number | string | undefined, transient: boolean): ErrorCode {
  if (status === 401 || status === 403) return 'kube-forbidden';
  if (status === 404) return 'kube-not-found';
  if (status === 409) return 'kube-conflict';
  if (status === 400 || status === 422) return 'kube-invalid';
  // A socket error code, a 5xx or a 429: the API server cannot serve the request now.
  if (typeof status === 'string' || transient) return 'kube-unreachable';
  return 'internal';
}

/** A failure already put in words; `transient` ones (unreachable, 5xx) may go away if asked again. */
export class KubeError extends LifeboatError {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number | string,
    /** What the API server asked for in `Retry-After`, in seconds. */
    readonly retryAfterSeconds?: number,
    options: { readonly cause?: unknown } = {},
  ) {
    super(kubeCode(status, transient), message, options);
  }
}

/** `deployments.apps/scale`: the resource, its API group and subresource, as `kubectl auth can-i` takes it. */
export const rbacName = ({ plural, group, subresource }: Resource): string =>
  `${plural}${group ? `.${group}` : ''}${subresource ? `/${subresource}` : ''}`;

/** The innermost error code (ECONNREFUSED, UND_ERR_SOCKET, TimeoutError…) along the `cause` chain. */
export function errorCode(error: unknown): string | undefined {
  // Duck-typed: errors from Node's sockets may come from another realm (Jest's VM), failing instanceof.
  for (let node = error, depth = 0; typeof node === 'object' && node !== null && depth < 6; depth += 1) {
    const { code, cause, name } = node as { code?: unknown; cause?: unknown; name?: unknown };
    if (cause === undefined) {
      if (typeof code === 'string') return code;
      return name === 'TimeoutError' || name === 'AbortError' ? name : undefined;
    }
    node = cause;
  }
  return undefined;
}

/** An error's message, whatever realm or shape it comes from. */
export function messageOf(error: unknown): string {
  const { message } = (error ?? {}) as { message?: unknown };
  return typeof message === 'string' ? message : String(error);
}

/** The parts of a metav1.Status Lifeboat reads (api-conventions.md, "Response Status Kind"). */
type Status = {
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string; retryAfterSeconds?: number };
};

function statusBody(body: unknown): Status {
  if (typeof body === 'string') {
    try {
      return statusBody(JSON.parse(body));
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  return body !== null && typeof body === 'object' ? body : {};
}

function httpStatus(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const { statusCode } = (error ?? {}) as { statusCode?: unknown };
  return typeof statusCode === 'number' ? statusCode : undefined;
}

/**
 * Seconds from `Retry-After`, read as client-go's retryAfterSeconds does (rest/request.go: whole
 * seconds only), else from the Status's details.retryAfterSeconds.
 */
function retryAfter(error: unknown, status: Status): number | undefined {
  const headers = error instanceof ApiException ? (error.headers as Record<string, string>) : {};
  const header = headers['retry-after'];
  if (header !== undefined && /^\d+$/.test(header.trim())) return Number(header);
  const detail = status.details?.retryAfterSeconds;
  return typeof detail === 'number' && detail >= 0 ? detail : undefined;
}

/**
 * The RBAC authorizer's denial, as apiserver's authorization filter words it
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go, forbiddenMessage):
 * `User "…" cannot <verb> resource "<resource>[/<sub>]" in API group "<group>" …`, or `… cannot get path "/readyz"`.
 */
const RBAC_DENIAL =
  /\bUser "[^"]*" cannot (\S+) (?:resource "([^"]+)"(?: in API group "([^"]*)")?|path "([^"]+)")/;

function forbidden(body: Status, op: Operation, resource: string): string {
  const said = body.message?.trim();
  const denial = said ? RBAC_DENIAL.exec(said) : null;
  if (!said)
    return `Kubernetes refused (403) to ${op.verb} ${resource} without saying why; if it is RBAC, Lifeboat needs ${op.verb} on ${resource}`;
  if (!denial) return `Kubernetes refused (403) to ${op.verb} ${resource}: ${said}`;
  const [, verb = op.verb, plural, group, path] = denial;
  const [base = '', sub] = (plural ?? '').split('/');
  const needed =
    path ??
    rbacName({ plural: base, kind: '', ...(group ? { group } : {}), ...(sub ? { subresource: sub } : {}) });
  return `Kubernetes refused (403) to ${op.verb} ${resource}: Lifeboat's RBAC needs ${verb} on ${needed} (${said})`;
}

function notFound(op: Operation, status: Status): string {
  const { kind, group } = op.resource;
  const name = status.details?.name;
  if (status.details?.kind === 'namespaces') return `namespace ${name ?? op.namespace} does not exist`;
  // The API server names the object when the object is missing, and nothing when the resource type is.
  if (name !== undefined || group !== 'velero.io')
    return `${kind} ${name ?? op.name ?? ''} not found${op.namespace ? ` in namespace ${op.namespace}` : ''}`;
  return `Velero is not installed (no velero.io/v1 ${kind}s)`;
}

/** 409 is AlreadyExists on a create and Conflict (a stale resourceVersion) on a write (apimachinery errors.go). */
function conflict(op: Operation, body: Status, said: string): string {
  if (body.reason === 'Conflict' || op.verb !== 'create')
    return `${op.resource.kind} ${op.name ?? ''} was changed by someone else while Lifeboat wrote it (409 Conflict)${said}`;
  return `${op.resource.kind} ${op.name ?? ''} already exists${said}`;
}

/** Puts an API failure in the words an SRE acts on; never repeats headers or tokens. */
export function explain(error: unknown, op: Operation, target: ClusterTarget): KubeError {
  if (error instanceof KubeError) return error;
  const resource = rbacName(op.resource);
  const status = httpStatus(error);
  if (status === undefined) {
    const code = errorCode(error) ?? messageOf(error);
    // A certificate that does not verify will not verify on the next try either.
    const tls = /CERT|TLS|SSL|VERIFY|SIGNATURE/.test(code);
    const hint = tls ? " (check the cluster's certificate-authority in the kubeconfig)" : '';
    return new KubeError(
      `cannot reach the API server of cluster ${target.name} (context ${target.context}): ${code}${hint}`,
      !tls,
      code,
      undefined,
      { cause: error },
    );
  }
  const body = statusBody(error instanceof ApiException ? error.body : undefined);
  const said = body.message ? `: ${body.message}` : '';
  switch (status) {
    case 401:
      return new KubeError(
        `Kubernetes refused (401) to ${op.verb} ${resource}: the credentials of context ${target.context} were not accepted`,
        false,
        status,
      );
    case 403:
      return new KubeError(forbidden(body, op, resource), false, status);
    case 404:
      return new KubeError(notFound(op, body), false, status);
    case 409:
      return new KubeError(conflict(op, body, said), false, status);
    default: {
      const reason = body.reason ? ` ${body.reason}` : '';
      return new KubeError(
        `Kubernetes API error (${status}${reason}) to ${op.verb} ${resource}${said}`,
        status >= 500 || status === 429,
        status,
        retryAfter(error, body),
        { cause: error },
      );
    }
  }
}
