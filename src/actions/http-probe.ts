import { z } from 'zod';
import { formatSeconds } from '../domain/duration.js';
import { errorCode } from './k8s/errors.js';
import { Within, WholeNumber } from './inputs.js';
import { keepTrying } from './keep-trying.js';
import { defineAction } from './registry.js';

const Input = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  expectStatus: WholeNumber.default(200),
  bodyMatches: z
    .string()
    .refine(
      (source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not a valid regular expression' },
    )
    .optional(),
  within: Within.optional(),
});

const REQUEST_TIMEOUT_MS = 10_000;
/** Enough of a body to find a health marker; a probe is not a download. */
const BODY_CAP = 1024 * 1024;

type Answer = { readonly status: number | string; readonly bodyMatched: boolean };

async function ask(url: string, bodyMatches: RegExp | undefined, stop: AbortSignal): Promise<Answer> {
  try {
    // Manual redirects: a login page's 302 is not the service being up.
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.any([stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const body = bodyMatches ? (await response.text()).slice(0, BODY_CAP) : '';
    if (!bodyMatches) await response.body?.cancel();
    return { status: response.status, bodyMatched: bodyMatches ? bodyMatches.test(body) : true };
  } catch (error) {
    const code = errorCode(error);
    return { status: code === 'TimeoutError' ? 'ETIMEDOUT' : (code ?? 'ERROR'), bodyMatched: false };
  }
}

/** Requests a URL until it answers with the expected status (and body), or time runs out. Never throws. */
export const httpProbe = defineAction({
  input: Input,
  async run({ url, expectStatus, bodyMatches, within }, context) {
    const started = Date.now();
    const pattern = bodyMatches === undefined ? undefined : new RegExp(bodyMatches);
    const outcome = await keepTrying({
      withinMs: Math.min(within ?? 0, context.timeoutMs),
      signal: context.signal,
      progress: context.progress,
      attempt: async () => {
        const answer = await ask(url, pattern, context.signal);
        const passed = answer.status === expectStatus && answer.bodyMatched;
        const note =
          answer.status !== expectStatus
            ? `got ${answer.status}, want ${expectStatus}`
            : `got ${answer.status} but the body does not match /${bodyMatches}/`;
        return { value: answer, passed, note };
      },
    });
    const durationMs = Date.now() - started;
    const result = {
      ok: outcome.passed,
      status: outcome.value.status,
      attempts: outcome.attempts,
      durationMs,
    };
    if (outcome.passed) return { completed: true, result };
    const tries = `${outcome.attempts} ${outcome.attempts === 1 ? 'attempt' : 'attempts'} in ${formatSeconds(durationMs / 1000)}`;
    return { completed: true, result, error: `GET ${url}: ${outcome.note} (${tries})` };
  },
});
