import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ErrorCode,
  WebClient,
  type FilesUploadV2Arguments,
  type WebAPICallResult,
  type WebClientOptions,
} from '@slack/web-api';

/** What the bot learns about its Slack calls: every failure (a failed attempt or a refusal), and every retry. */
export type SlackCallObserver = {
  readonly failed: (method: string, error: string) => void;
  readonly retried: (method: string) => void;
};

/** The method a failed attempt belongs to: the client's retry hook only gets the error. */
const calling = new AsyncLocalStorage<string>();
/** A refusal inside files.uploadV2 is counted once, under the inner method that got it. */
const counted = new WeakSet<object>();

type Attempt = Error & { code?: string; statusCode?: number; retriesLeft?: number };

/** A short, bounded label for a failed attempt: `http_500`, `ratelimited`, `request_failed`. */
function attemptError(error: Attempt): string {
  if (error.code === ErrorCode.HTTPError) return `http_${error.statusCode ?? 'error'}`;
  if (error.code === ErrorCode.RequestError) return 'request_failed';
  return /rate limit/i.test(error.message) ? 'ratelimited' : 'unknown';
}

/** Slack's own error code when Slack answered ok: false (channel_not_found, not_in_channel, …). */
function refusal(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  return e.code === ErrorCode.PlatformError ? (e.data?.error ?? 'unknown') : undefined;
}

/**
 * A WebClient that reports errors and retries by method. Failed HTTP attempts are seen where the
 * client retries them (p-retry's onFailedAttempt, which the client runs each attempt through);
 * refusals (ok: false) are never retried and are seen when the call throws.
 */
export function meteredClient(
  token: string,
  options: WebClientOptions,
  observer: SlackCallObserver,
): WebClient {
  const retryConfig = {
    ...options.retryConfig,
    onFailedAttempt: (error: Attempt) => {
      const method = calling.getStore() ?? 'unknown';
      observer.failed(method, attemptError(error));
      if ((error.retriesLeft ?? 0) > 0) observer.retried(method);
    },
  };

  class MeteredClient extends WebClient {
    override apiCall(method: string, args?: Record<string, unknown>): Promise<WebAPICallResult> {
      return calling.run(method, () => this.refusalsCounted(method, () => super.apiCall(method, args)));
    }

    override filesUploadV2(args: FilesUploadV2Arguments) {
      return calling.run('files.uploadV2', () =>
        this.refusalsCounted('files.uploadV2', () => super.filesUploadV2(args)),
      );
    }

    private async refusalsCounted<T>(method: string, call: () => Promise<T>): Promise<T> {
      try {
        return await call();
      } catch (error) {
        const code = refusal(error);
        if (code !== undefined && !counted.has(error as object)) {
          counted.add(error as object);
          observer.failed(method, code);
        }
        throw error;
      }
    }
  }
  return new MeteredClient(token, { ...options, retryConfig });
}
