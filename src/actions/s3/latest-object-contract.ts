import { z } from 'zod';
import { actionContract } from '../contract.js';

export const latestObjectContract = actionContract({
  name: 's3.latest-object',
  summary: 'The newest object under a prefix',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    bucket: z.string().min(1).describe('bucket'),
    prefix: z.string().optional().describe('key prefix'),
  }),
  result: {
    key: 'object key',
    time: 'last modified (ISO 8601)',
    ageSeconds: 'age in seconds',
    size: 'bytes',
    metadata: 'user metadata',
    etag: 'ETag',
  },
});
