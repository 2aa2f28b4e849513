import { LifeboatError, errorMessage } from '../errors.js';

// Replies of a Redis that is there but cannot serve now (restarting from its AOF, a replica failing over, out of memory).
const BUSY_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|OOM|CLUSTERDOWN|TRYAGAIN)\b/;
// What ioredis says when it has no connection: closed, refused, retries used up, offline queue off.
const NO_CONNECTION =
  /ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EHOSTUNREACH|Connection is closed|max retries|MaxRetries|Stream isn't writeable/i;

/**
 * An ioredis failure as the one error type the rest of Lifeboat reads: `store-timeout` when the
 * command may still land (no answer in time), `store-unavailable` when it never ran, `internal` else.
 * The driver's words are sorted here, once, so no caller reads message text.
 */
export function storeError(error: unknown): LifeboatError {
  if (error instanceof LifeboatError) return error;
  const text = errorMessage(error);
  const code = (error as { code?: unknown }).code;
  if (/timed? ?out/i.test(text) || code === 'ETIMEDOUT')
    return new LifeboatError('store-timeout', `the state store did not answer in time: ${text}`, {
      cause: error,
    });
  if (
    BUSY_REPLY.test(text) ||
    NO_CONNECTION.test(text) ||
    (typeof code === 'string' && NO_CONNECTION.test(code))
  )
    return new LifeboatError('store-unavailable', `the state store is unavailable: ${text}`, {
      cause: error,
    });
  return new LifeboatError('internal', text, { cause: error });
}

/** Runs one store operation and rethrows what fails as a LifeboatError. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storeError(error);
  }
}
