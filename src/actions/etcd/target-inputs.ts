import { z } from 'zod';
import { ClusterName } from '../inputs.js';

// The inputs that name an etcd, apart from etcdctl so that the contracts load without running anything.

/** The inputs that say which etcd to reach; `endpoints` alone, or overriding the cluster's. */
export const accessInput = {
  cluster: z.string().min(1).optional(),
  endpoints: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
};

/** Which etcd to ask, documented for the contracts (the same fields as accessInput). */
export const etcdTarget = {
  cluster: ClusterName.optional().describe('cluster whose etcd to use (config clusters.NAME.etcd)'),
  endpoints: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe('etcd client URLs, instead of (or narrowing) the cluster’s'),
};
