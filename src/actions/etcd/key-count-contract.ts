import { z } from 'zod';
import { actionContract } from '../contract.js';
import { accessInput } from './target-inputs.js';

/**
 * Counts keys under a prefix; "" means every key (etcdctl's `get "" --prefix`). `--count-only`
 * arrived in etcdctl 3.5, so this asks for one key with `--limit 1`: etcd's `count` is still the
 * total, on 3.4 and later alike.
 */
export const keyCountContract = actionContract({
  name: 'etcd.key-count',
  summary: 'Count keys under a prefix',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject({
    cluster: accessInput.cluster.describe('cluster whose etcd to use'),
    endpoints: accessInput.endpoints.describe('etcd endpoints, instead of cluster'),
    prefix: z.string().optional().describe('key prefix (default /registry)'),
  }),
  result: { count: 'number of keys', prefix: 'the prefix counted under' },
});
