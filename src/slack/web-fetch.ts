import http from 'node:http';
import https from 'node:https';

/** The part of a fetch Response that @slack/web-api reads. */
type SlackResponse = Pick<Response, 'status' | 'statusText' | 'ok' | 'url'> & {
  readonly headers: {
    get(name: string): string | null;
    has(name: string): boolean;
    entries(): IterableIterator<[string, string]>;
  };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
};

function responseOf(url: string, res: http.IncomingMessage, body: Buffer): SlackResponse {
  const header = (name: string): string | null => {
    const value = res.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const pairs = (): [string, string][] => Object.keys(res.headers).map((name) => [name, header(name) ?? '']);
  return {
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? '',
    ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300,
    url,
    headers: {
      get: header,
      has: (name) => header(name) !== null,
      entries: () => pairs()[Symbol.iterator](),
    },
    text: () => Promise.resolve(body.toString('utf8')),
    json: () => Promise.resolve(JSON.parse(body.toString('utf8')) as unknown),
    arrayBuffer: () =>
      Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer),
  };
}

/**
 * A fetch for the Slack Web API client: form-encoded calls (every chat.* and views.* call) go over
 * node:http with kept-alive sockets, which costs the bot a fraction of the CPU of global fetch on the
 * loop that acks; anything else (file bytes as multipart) goes to global fetch. An attempt with no
 * whole answer within `attemptMs` fails (the client then retries it), so a connection that never
 * answers cannot hold the timeline. On the form-encoded path the timer goes when the answer comes:
 * an AbortSignal.timeout (the client's own `timeout`) would keep every call's objects alive for the
 * whole `attemptMs`, and the old-space collections they cause stall the acks. File uploads are rare
 * and keep one.
 */
export function keepAliveFetch({ attemptMs }: { readonly attemptMs: number }): typeof fetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 50 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 50 }),
  };
  const lean = (url: URL, init: RequestInit, body: string): Promise<SlackResponse> =>
    new Promise((resolve, reject) => {
      const transport = url.protocol === 'https:' ? https : http;
      const headers = {
        ...(init.headers as Record<string, string>),
        'content-length': Buffer.byteLength(body),
      };
      const req = transport.request(
        url,
        {
          method: init.method ?? 'POST',
          headers,
          agent: agents[url.protocol as keyof typeof agents],
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('end', () => {
            clearTimeout(timer);
            resolve(responseOf(url.href, res, Buffer.concat(chunks)));
          });
        },
      );
      const timer = setTimeout(
        () => req.destroy(new Error(`no answer from ${url.host} within ${attemptMs / 1000} s`)),
        attemptMs,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      req.on('error', fail);
      req.end(body);
    });
  return ((input: string | URL | Request, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
    const plainHeaders =
      init.headers === undefined || Object.getPrototypeOf(init.headers) === Object.prototype;
    if (
      url &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      typeof init.body === 'string' &&
      plainHeaders
    )
      return lean(url, init, init.body);
    return fetch(input, { ...init, signal: init.signal ?? AbortSignal.timeout(attemptMs) });
  }) as typeof fetch;
}
