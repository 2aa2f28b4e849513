import { z } from 'zod';
import { actionContract } from './contract.js';
import { WholeNumber } from './inputs.js';

/** Headers Node sets from the request itself; a runbook naming one would send a request that lies about its body. */
export const OWNED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
]);

/** RFC 9110 token characters: a template can never end one header and start another. */
export const HeaderName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, { message: 'expected a header name such as Authorization' })
  .refine((name) => !OWNED_HEADERS.has(name.toLowerCase()), { message: 'Lifeboat sets this header itself' });

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
