import { z } from 'zod';
import { actionContract } from '../contract.js';

export const downloadContract = actionContract({
  name: 's3.download',
  summary: 'Download an object to a file, checking its checksum',
  readOnly: false,
  input: z.strictObject({
    bucket: z.string().min(1).describe('bucket'),
    key: z.string().min(1).describe('object key'),
    file: z.string().min(1).describe('destination path'),
  }),
  result: {
    file: 'path written',
    size: 'bytes',
    sha256: 'SHA-256 of the file',
    verified: "true when it matched the object's sha256 metadata (false: the object has none)",
    durationMs: 'how long the action took',
  },
});
