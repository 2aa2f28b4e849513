import { z } from 'zod';
import { actionContract } from '../contract.js';

export const headContract = actionContract({
  name: 's3.head',
  summary: "An object's size, time and metadata",
  readOnly: true,
  timeout: '2m',
  input: z.strictObject({
    bucket: z.string().min(1).describe('bucket'),
    key: z.string().min(1).describe('object key'),
  }),
  result: {
    exists: 'true when the object exists',
    size: 'bytes',
    time: 'last modified',
    metadata: 'user metadata',
    etag: 'ETag',
  },
});
