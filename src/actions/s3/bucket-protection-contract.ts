import { z } from 'zod';
import { actionContract } from '../contract.js';

export const bucketProtectionContract = actionContract({
  name: 's3.bucket-protection',
  summary:
    'Whether the snapshot bucket is versioned, expires old snapshots with a lifecycle rule, and (where expected) replicates them to another region',
  readOnly: true,
  timeout: '2m',
  input: z.strictObject({
    bucket: z.string().min(1).describe('bucket that holds the snapshots'),
    prefix: z.string().optional().describe('key prefix of the snapshots (default: the whole bucket)'),
    replicateTo: z
      .string()
      .optional()
      .describe('destination bucket replication must copy the snapshots to (empty: not checked)'),
    replicateRegion: z.string().optional().describe("that bucket's region, named in the words only"),
  }),
  result: {
    protected: 'true when every protection below holds',
    versioning: 'true when versioning is Enabled',
    lifecycle: 'true when an enabled rule covering the prefix expires current or noncurrent versions',
    replication: 'true when an enabled rule replicates the prefix to replicateTo (absent when not asked)',
    problems: 'each missing protection, with what to do',
  },
});
