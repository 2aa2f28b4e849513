import { z } from 'zod';
import { actionContract } from '../contract.js';
import { accessInput } from './target-inputs.js';

/**
 * A snapshot comes from one member: the first healthy endpoint, in configured order. etcdctl applies
 * its command timeout to the whole transfer, so the save gets nearly all of the step's time.
 */
export const snapshotSaveContract = actionContract({
  name: 'etcd.snapshot-save',
  summary: 'Save an etcd snapshot to a file',
  readOnly: false,
  input: z.strictObject({
    cluster: accessInput.cluster.describe('cluster whose etcd to use (config clusters.NAME.etcd)'),
    endpoints: accessInput.endpoints.describe('etcd endpoints, instead of cluster'),
    file: z.string().min(1).describe('snapshot file path'),
  }),
  result: {
    file: 'snapshot path',
    size: 'bytes',
    endpoint: 'the member it was saved from',
    durationMs: 'how long the action took',
  },
});
