import { z } from 'zod';
import { actionContract } from './contract.js';

export const drillLastResultContract = actionContract({
  name: 'drill.last-result',
  summary: "A runbook's most recent drill and whether it passed",
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({ runbook: z.string().min(1).describe('runbook id') }),
  result: {
    passed: 'true when the last drill passed',
    ageSeconds: 'seconds since it ended',
    rtoSeconds: 'measured RTO',
    incident: 'the drill incident id',
  },
});
