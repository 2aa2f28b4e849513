import { z } from 'zod';
import { actionContract } from './contract.js';

export const shellContract = actionContract({
  name: 'shell',
  summary: 'Run a command (argv list, no shell) with only the listed environment',
  readOnly: false,
  readOnlyWhenMarked: true,
  input: z.strictObject({
    command: z.array(z.string()).min(1).describe('argv list: [program, arg, …]'),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
      .optional()
      .describe('environment variables; only these plus PATH and HOME reach the process'),
    cwd: z.string().optional().describe('working directory (default: the incident workdir)'),
  }),
  result: {
    exitCode: 'process exit code',
    stdout: 'standard output (redacted, capped)',
    stderr: 'standard error (redacted, capped)',
    durationMs: 'how long the action took',
  },
});
