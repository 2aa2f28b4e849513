import http from 'node:http';
import https from 'node:https';
import { LifeboatError } from '../errors.js';
import { errorCode } from './k8s/errors.js';
import { pinnedLookup, type Egress } from './egress.js';

/** What an API answer may weigh: a Prometheus vector or a GSLB reply, never a download. */
export const ANSWER_CAP = 1024 * 1024;

export type Answer = { readonly status: number; readonly contentType: string; readonly body: string };

export type Request = {
  readonly method: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
};

/** The URL as messages show it: never a password written into it. */
export const shownUrl = (url: URL): string =>
  Object.assign(new URL(url.href), { username: '', password: '' }).href;

/**
 * One request to the checked, pinned address (no DNS rebinding), its answer read up to ANSWER_CAP;
 * throws LifeboatError with words a responder can act on (refused by the egress fence, unreachable).
 */
export async function pinnedRequest(egress: Egress, request: Request): Promise<Answer> {
  const shown = `${request.method} ${shownUrl(request.url)}`;
  const pinned = await egress.resolve(request.url);
  if ('refused' in pinned) throw new LifeboatError('input-invalid', `${shown} ${pinned.refused}`);
  if ('unresolved' in pinned)
    throw new LifeboatError(
      'input-invalid',
      `${shown}: the host name does not resolve (${pinned.unresolved})`,
    );
  return new Promise<Answer>((resolve, reject) => {
    const client = request.url.protocol === 'https:' ? https : http;
    const outgoing = client.request(
      request.url,
      {
        method: request.method,
        signal: request.signal,
        agent: false,
        lookup: pinnedLookup(pinned.address, pinned.family),
        headers: {
          'user-agent': 'lifeboat',
          ...(request.body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body) }),
          ...request.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (): void =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          });
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, ANSWER_CAP - size));
          size += Math.min(chunk.length, ANSWER_CAP - size);
          if (size < ANSWER_CAP) return;
          response.destroy();
          done();
        });
        response.on('end', done);
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error) => {
      const code = errorCode(error);
      const reason = (request.signal.reason as { name?: string } | undefined)?.name;
      if (request.signal.aborted && reason === 'TimeoutError')
        reject(new LifeboatError('timeout', `${shown} did not answer in time`, { cause: error }));
      else if (request.signal.aborted)
        reject(new LifeboatError('aborted', `${shown} was stopped`, { cause: error }));
      else {
        const words = `${shown} failed: ${code ?? 'no answer'}; check the URL and that the service runs`;
        reject(new LifeboatError('http-unavailable', words, { cause: error }));
      }
    });
    outgoing.end(request.body);
  });
}
