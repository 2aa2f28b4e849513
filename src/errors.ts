/**
 * The one error type outside the pure domain. Adapters (Redis, Slack, Kubernetes, S3, tools) throw
 * it with a code from this closed list and the original error as `cause`, so callers decide on the
 * code, never on message text.
 */
export const ERROR_CODES = [
  /** Redis did not answer or refused the command. */
  'store-unavailable',
  /** Slack refused or did not answer. */
  'slack-unavailable',
  'slack-rate-limited',
  /** A cluster's API server could not be reached. */
  'kube-unreachable',
  'kube-forbidden',
  'kube-not-found',
  /** The API server refused the object (422, 400). */
  'kube-invalid',
  'kube-conflict',
  's3-unavailable',
  's3-not-found',
  /** A program a step needs is not installed, or is the wrong version. */
  'tool-missing',
  'tool-failed',
  /** Input that does not fit: a param, a template result, a runbook value. */
  'input-invalid',
  'config-invalid',
  'timeout',
  'aborted',
  /** A bug or an answer of a shape nobody expected. */
  'internal',
  /** Redis did not answer in time: what was sent may still be applied when it recovers. */
  'store-timeout',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class LifeboatError extends Error {
  override readonly name = 'LifeboatError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The code of any thrown value: a LifeboatError's own, `aborted` for an AbortError, else `internal`. */
export function errorCode(error: unknown): ErrorCode {
  if (error instanceof LifeboatError) return error.code;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return error.name === 'AbortError' ? 'aborted' : 'timeout';
  }
  return 'internal';
}

/** The words of any thrown value, for a person: never `[object Object]`, never `undefined`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
