import { compilePattern, type Pattern } from '../domain/pattern.js';
import http from 'node:http';
import https from 'node:https';
import { formatSeconds } from '../domain/duration.js';
import { errorCode } from './k8s/errors.js';
import { keepTrying } from './keep-trying.js';
import { implement } from './contract.js';
import { pinnedLookup, type Egress, type Pinned } from './egress.js';
import { httpProbeContract } from './http-probe-contract.js';

const REQUEST_TIMEOUT_MS = 10_000;

/** Enough of a body to find a health marker; a probe is not a download, so the rest is never read. */
export const BODY_CAP = 1024 * 1024;

type Answer = { readonly status: number | string; readonly bodyMatched: boolean };

/** Thrown inside an attempt to end the probe: asking again would be refused again. */
class Refused extends Error {}

/** One GET to the checked, pinned address; the body is read only up to BODY_CAP, and only when it is judged. */
function get(url: URL, pinned: Pinned, bodyMatches: Pattern | undefined, signal: AbortSignal) {
  return new Promise<Answer>((resolve, reject) => {
    // Manual redirects (http.request follows none): a login page's 302 is not the service being up.
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        signal,
        agent: false,
        lookup: pinnedLookup(pinned.address, pinned.family),
        headers: { 'user-agent': 'lifeboat-http-probe' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (!bodyMatches) {
          response.destroy();
          return resolve({ status, bodyMatched: true });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const judge = (): void =>
          resolve({ status, bodyMatched: bodyMatches.test(Buffer.concat(chunks).toString('utf8')) });
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, BODY_CAP - size));
          size += Math.min(chunk.length, BODY_CAP - size);
          if (size < BODY_CAP) return;
          // Cancel the rest: a 300 MiB body costs one MiB, not 300.
          response.destroy();
          judge();
        });
        response.on('end', judge);
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

async function ask(
  url: URL,
  bodyMatches: Pattern | undefined,
  stop: AbortSignal,
  egress: Egress,
): Promise<Answer> {
  // Resolved and checked at every attempt, and the connection goes to that very address (no DNS rebinding).
  const pinned = await egress.resolve(url);
  if ('refused' in pinned) throw new Refused(pinned.refused);
  if ('unresolved' in pinned) return { status: pinned.unresolved, bodyMatched: false };
  try {
    return await get(
      url,
      pinned,
      bodyMatches,
      AbortSignal.any([stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    );
  } catch (error) {
    const code = errorCode(error);
    return { status: code === 'TimeoutError' ? 'ETIMEDOUT' : (code ?? 'ERROR'), bodyMatched: false };
  }
}

/** Requests a URL until it answers with the expected status (and body), or time runs out; refuses fenced addresses. Never throws. */
export function httpProbe(egress: Egress) {
  return implement(httpProbeContract, async ({ url, expectStatus, bodyMatches, within }, context) => {
    const started = Date.now();
    const target = new URL(url);
    // What the messages show: never a password written into the URL.
    const shown = Object.assign(new URL(url), { username: '', password: '' }).href;
    // RE2, linear in the body: no runbook pattern can freeze the bot on what a server sends back.
    const compiled = bodyMatches === undefined ? undefined : compilePattern(bodyMatches);
    const pattern = compiled && 'test' in compiled ? compiled : undefined;
    let outcome;
    try {
      outcome = await keepTrying({
        withinMs: Math.min(within ?? 0, context.timeoutMs),
        signal: context.signal,
        progress: context.progress,
        attempt: async () => {
          const answer = await ask(target, pattern, context.signal, egress);
          const passed = answer.status === expectStatus && answer.bodyMatched;
          const note =
            answer.status !== expectStatus
              ? `got ${answer.status}, want ${expectStatus}`
              : `got ${answer.status} but the body does not match /${bodyMatches}/`;
          return { value: answer, passed, note };
        },
      });
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const result = { ok: false, status: 'REFUSED', attempts: 1, durationMs: Date.now() - started };
      return { completed: false, result, error: `GET ${shown} ${error.message}` };
    }
    const durationMs = Date.now() - started;
    const result = {
      ok: outcome.passed,
      status: outcome.value.status,
      attempts: outcome.attempts,
      durationMs,
    };
    if (outcome.passed) return { completed: true, result };
    const tries = `${outcome.attempts} ${outcome.attempts === 1 ? 'attempt' : 'attempts'} in ${formatSeconds(durationMs / 1000)}`;
    return { completed: true, result, error: `GET ${shown}: ${outcome.note} (${tries})` };
  });
}
