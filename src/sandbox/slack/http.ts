import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiCall, Failure, Params, SlackResult } from './model.js';
import { slackError } from './model.js';
import { chatMethods } from './methods-chat.js';
import { directoryMethods } from './methods-directory.js';
import { fileMethods, receiveUpload } from './methods-files.js';
import { viewMethods } from './methods-views.js';
import { parseParams, type Method } from './params.js';
import { PostingBuckets } from './rate-limit.js';
import { postToResponseUrl } from './responses.js';
import type { Workspace } from './workspace.js';

const METHODS: Record<string, Method> = {
  ...chatMethods,
  ...viewMethods,
  ...fileMethods,
  ...directoryMethods,
};

/** Methods Slack limits per channel (chat.postMessage's special tier). */
const PER_CHANNEL = new Set(['chat.postMessage']);

export type ActiveFailure = { readonly method: string; readonly failure: Failure; readonly until: number };

/** The emulator's routing: the Web API, file uploads, response URLs, and a JSON view of the state. */
export class SlackHttp {
  readonly failures: ActiveFailure[] = [];
  private readonly posting: PostingBuckets | undefined;

  constructor(
    private readonly ws: Workspace,
    private readonly tokens: readonly string[] | undefined,
    private readonly snapshot: () => unknown,
  ) {
    this.posting = ws.strict.postingLimit ? new PostingBuckets(ws.strict.postingLimit) : undefined;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', this.ws.origin).pathname;
    if (req.method === 'GET' && path === '/_emulator/state') return send(res, 200, this.snapshot());
    if (req.method !== 'POST') return send(res, 405, slackError('method_not_allowed'));
    if (path.startsWith('/api/'))
      return this.api(path.slice('/api/'.length), req, bytes.toString('utf8'), res);
    const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(path);
    if (upload?.[1]) {
      const ok = receiveUpload(this.ws, upload[1], await fileBytes(req, bytes));
      res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' });
      return void res.end(ok ? `OK - ${bytes.length}` : 'file_not_found');
    }
    const response = /^\/(?:commands|actions)\/[A-Z0-9]+\/([A-Z0-9]+)\/[0-9a-f]+$/.exec(path);
    if (response?.[1]) {
      const params = parseParams(req.headers['content-type'], bytes.toString('utf8'));
      if (params === 'invalid_json') return send(res, 400, slackError('invalid_payload'));
      const { status, answer } = postToResponseUrl(this.ws, response[1], params);
      return send(res, status, answer);
    }
    send(res, 404, slackError('not_found'));
  }

  private api(method: string, req: IncomingMessage, body: string, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const parsed = parseParams(req.headers['content-type'], body);
    const params: Params = parsed === 'invalid_json' ? { body } : parsed;
    const record = (status: number, response: Params): void => {
      const contentType = req.headers['content-type'];
      const call: ApiCall = { method, params, token, contentType, at: this.ws.now(), status, response };
      this.ws.calls.push(call);
    };
    const active = this.activeFailure(method);
    if (active?.status === 429) {
      const answer = slackError('ratelimited');
      record(429, answer);
      return send(res, 429, answer, { 'retry-after': String(active.retryAfter) });
    }
    if (active?.status === 500) {
      const answer = slackError('internal_error');
      record(500, answer);
      return send(res, 500, answer);
    }
    const wait = this.organicLimit(method, params);
    if (wait !== undefined) {
      const answer = slackError('ratelimited');
      record(429, answer);
      return send(res, 429, answer, { 'retry-after': String(wait) });
    }
    const answer = this.answer(method, token, parsed);
    record(200, answer);
    send(res, 200, answer);
  }

  private answer(method: string, token: string | undefined, params: Params | 'invalid_json'): SlackResult {
    const handler = METHODS[method];
    if (!handler) return slackError('unknown_method', { req_method: method });
    if (params === 'invalid_json') return slackError('invalid_json');
    if (!token) return slackError('not_authed');
    if (!token.startsWith('xoxb-') || (this.tokens && !this.tokens.includes(token)))
      return slackError('invalid_auth');
    return handler(this.ws, params);
  }

  /** Seconds to wait when the bot posts to a channel faster than Slack allows; undefined when allowed. */
  private organicLimit(method: string, params: Params): number | undefined {
    if (!this.posting || !PER_CHANNEL.has(method)) return undefined;
    const channel = typeof params.channel === 'string' ? params.channel : undefined;
    return channel === undefined ? undefined : this.posting.take(channel, this.ws.now());
  }

  private activeFailure(method: string): Failure | undefined {
    const now = this.ws.now();
    return this.failures.find((f) => (f.method === '*' || f.method === method) && now < f.until)?.failure;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The uploaded bytes: the file part of a multipart body, or the raw body. */
async function fileBytes(req: IncomingMessage, bytes: Buffer): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return bytes;
  const form = await new Request('http://upload.invalid/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: new Uint8Array(bytes),
  }).formData();
  for (const value of form.values())
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  return bytes;
}
