import { patternError } from '../domain/pattern.js';
import { z } from 'zod';
import { Within, WholeNumber } from './inputs.js';
import { actionContract } from './contract.js';

export const httpProbeContract = actionContract({
  name: 'http.probe',
  summary: 'Request a URL until it answers as expected or time runs out',
  readOnly: true,
  input: z.strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('URL to request'),
    expectStatus: WholeNumber.default(200).describe('status that passes (default 200)'),
    bodyMatches: z
      .string()
      .refine((source) => patternError(source) === undefined, {
        message: 'not a usable regular expression (RE2: no look-around or back-references)',
      })
      .optional()
      .describe('regular expression the body must match'),
    within: Within.optional().describe('keep trying for up to this long (e.g. 5m)'),
  }),
  result: {
    ok: 'true when status and body matched',
    status: 'last HTTP status',
    attempts: 'requests made',
    durationMs: 'how long the action took',
  },
});
