import { z } from 'zod';
import { errorMessage } from '../errors.js';
import { actionContract, implement } from './contract.js';
import type { Egress } from './egress.js';
import { WholeNumber } from './inputs.js';
import { pinnedRequest, shownUrl } from './pinned-request.js';

/** Headers Node sets from the request itself; a runbook naming one would send a request that lies about its body. */
const OWNED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);

/** RFC 9110 token characters: a template can never end one header and start another. */
const HeaderName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, { message: 'expected a header name such as Authorization' })
  .refine((name) => !OWNED_HEADERS.has(name.toLowerCase()), { message: 'Lifeboat sets this header itself' });

/** Enough of an answer to judge it and to keep a job id from it; the rest is cut. */
const BODY_SHOWN = 16 * 1024;

export const requestContract = actionContract({
  name: 'http.request',
  summary:
    'One authenticated HTTP request with a JSON body (a GSLB or database API); passes when the answer has the expected status',
  readOnly: false,
  timeout: '2m',
  input: z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).describe('GET, POST, PUT, PATCH or DELETE'),
    url: z.url({ protocol: /^https?$/ }).describe('the API URL; fenced addresses need egress.allow'),
    body: z.json().optional().describe('a JSON value sent as the body (Content-Type: application/json)'),
    header: z
      .strictObject({
        name: HeaderName,
        value: z
          .string()
          .min(1)
          .regex(/^[^\r\n]*$/, { message: 'a header value is one line' }),
      })
      .optional()
      .describe(
        'one header, e.g. { name: Authorization, value: "Bearer {{ params.gslbToken }}" } from a secret param',
      ),
    expectStatus: WholeNumber.optional().describe('the status that means done (default: any 2xx)'),
  }),
  result: {
    ok: 'true when the status is the expected one',
    status: 'the HTTP status',
    body: 'the answer, up to 16 KiB (secrets in it are masked)',
    json: 'the answer parsed, when it is JSON',
  },
});

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
