import type { ResponseUrl } from './model.js';
import { FORM_CONTENT_TYPE, slackSignature, slackTimestamp } from './signing.js';

/** Slack's answer from the bot: HTTP status, body (parsed when JSON), and how long the bot took. */
export type DriverResult = {
  readonly status: number;
  readonly body: string;
  readonly json: unknown;
  readonly ms: number;
  /** The trigger_id and response_url the request carried, to follow up in the emulator. */
  readonly triggerId?: string;
  readonly responseUrl?: ResponseUrl;
  /** The second delivery, when the request was sent again as a Slack retry. */
  readonly retry?: DriverResult;
};

/** Send the same request again as Slack's retry (X-Slack-Retry-Num: 1), after the first answer or alongside it. */
export type Delivery = { readonly retry?: boolean | 'concurrent' };

export type RawOptions = {
  /** Default: exactly application/x-www-form-urlencoded; null leaves it to fetch (text/plain). */
  readonly contentType?: string | null;
  /** Seconds; default now. */
  readonly timestamp?: number | string;
  /** Default: the correct signature; null sends none. */
  readonly signature?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
};

/** Posts to the bot as Slack does: signed, exactly form-encoded, optionally sent again as a retry. */
export function signedSender(botUrl: string, signingSecret: string) {
  const raw = async (body: string, init: RawOptions = {}): Promise<DriverResult> => {
    const timestamp = String(init.timestamp ?? slackTimestamp());
    const headers: Record<string, string> = {
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': timestamp,
    };
    if (init.contentType !== null) headers['content-type'] = init.contentType ?? FORM_CONTENT_TYPE;
    if (init.signature !== null)
      headers['x-slack-signature'] = init.signature ?? slackSignature(signingSecret, timestamp, body);
    const started = performance.now();
    const response = await fetch(botUrl, {
      method: 'POST',
      headers: { ...headers, ...init.headers },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return { status: response.status, body: text, json: parseJson(text), ms: performance.now() - started };
  };

  const deliver = async (
    body: string,
    delivery: Delivery,
    extra: Partial<DriverResult>,
    contentType?: string,
  ): Promise<DriverResult> => {
    const as = contentType ? { contentType } : {};
    // A retry is a new request with the same body, signed afresh, as Slack sends it.
    const retry = () =>
      raw(body, { ...as, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    if (delivery.retry === 'concurrent') {
      const [first, second] = await Promise.all([raw(body, as), retry()]);
      return { ...first, ...extra, retry: second };
    }
    const first = await raw(body, as);
    return { ...first, ...extra, ...(delivery.retry ? { retry: await retry() } : {}) };
  };

  return { raw, deliver };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
