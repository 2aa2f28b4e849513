import { z } from 'zod';
import { actionContract } from '../contract.js';

/** Reads a snapshot file offline (no etcd needed): etcdutl where installed, else etcdctl 3.4. */
export const snapshotStatusContract = actionContract({
  name: 'etcd.snapshot-status',
  summary: 'Read hash, revision and key count of a snapshot file',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({ file: z.string().min(1).describe('snapshot file path') }),
  result: {
    hash: 'snapshot hash',
    revision: 'revision',
    totalKey: 'number of keys',
    totalSize: 'bytes',
    tool: 'etcdutl or etcdctl, whichever read it',
  },
});
