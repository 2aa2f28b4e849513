import { errorMessage } from '../errors.js';
import { implement } from './contract.js';
import type { Egress } from './egress.js';
import { pinnedRequest, shownUrl } from './pinned-request.js';
import { requestContract } from './http-request-contract.js';

/** Enough of an answer to judge it and to keep a job id from it; the rest is cut. */
const BODY_SHOWN = 16 * 1024;

/** Sends one request and never again: a POST to a GSLB API is not safe to repeat blindly. */
export const httpRequest = (egress: Egress) =>
  implement(requestContract, async ({ method, url, body, header, expectStatus }, context) => {
    const target = new URL(url);
    let answer;
    try {
      answer = await pinnedRequest(egress, {
        method,
        url: target,
        headers: { accept: 'application/json', ...(header ? { [header.name]: header.value } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.any([context.signal, AbortSignal.timeout(context.timeoutMs)]),
      });
    } catch (error) {
      return { completed: false, result: { ok: false }, error: errorMessage(error) };
    }
    const ok =
      expectStatus === undefined
        ? answer.status >= 200 && answer.status < 300
        : answer.status === expectStatus;
    let json: unknown;
    if (/\bjson\b/i.test(answer.contentType)) {
      try {
        json = JSON.parse(answer.body);
      } catch {
        json = undefined;
      }
    }
    const result = {
      ok,
      status: answer.status,
      body: answer.body.slice(0, BODY_SHOWN),
      ...(json === undefined ? {} : { json }),
    };
    if (ok) return { completed: true, result };
    const wanted = expectStatus === undefined ? 'a 2xx' : String(expectStatus);
    return {
      completed: false,
      result,
      error: `${method} ${shownUrl(target)} answered ${answer.status}, want ${wanted}: ${answer.body.slice(0, 200)}`,
    };
  });
