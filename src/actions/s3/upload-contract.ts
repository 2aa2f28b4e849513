import { z } from 'zod';
import { actionContract } from '../contract.js';

/** User metadata travels as HTTP headers: simple names, printable ASCII values. */
export const Metadata = z.record(
  z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'metadata names use letters, digits, - and _' }),
  z
    .union([z.string(), z.number(), z.boolean()])
    .transform(String)
    .pipe(z.string().regex(/^[\x20-\x7e]*$/, { message: 'metadata values must be printable ASCII' })),
);

export const uploadContract = actionContract({
  name: 's3.upload',
  summary: 'Upload a file, with metadata, checking its checksum',
  readOnly: false,
  input: z.strictObject({
    bucket: z.string().min(1).describe('bucket'),
    key: z.string().min(1).describe('object key'),
    file: z.string().min(1).describe('source path'),
    metadata: Metadata.optional().describe('user metadata, e.g. { cluster: prod-use1 }'),
  }),
  result: {
    key: 'object key',
    size: 'bytes',
    sha256: 'SHA-256 of the file',
    etag: 'ETag of the stored object',
    durationMs: 'how long the action took',
  },
});
