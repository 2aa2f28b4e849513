import { z } from 'zod';
import { actionContract, implement } from '../contract.js';
import { accessArgs, accessInput, commandTimeout, etcdctl, parseJson, resolveAccess } from './etcdctl.js';
import { notRun, toolError } from '../run-tool.js';

/** etcd leaves `count` out of the JSON when it is zero. */
const Reported = z.object({ count: z.union([z.number(), z.string()]).optional() });

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

export const keyCount = implement(keyCountContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const prefix = input.prefix ?? '/registry';
  // `--` ends the flags, so a prefix like "--endpoints=…" stays a key.
  const args = [
    ...accessArgs(resolved.access),
    commandTimeout(context, 60),
    'get',
    '--prefix',
    '--keys-only',
    '--limit=1',
    '-w',
    'json',
    '--',
    prefix,
  ];
  const run = await etcdctl(args, context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { completed: false, result: {}, error: failed };
  const reported = Reported.safeParse(parseJson(run.stdout));
  if (run.exitCode !== 0 || !reported.success)
    return { completed: false, result: {}, error: toolError('etcdctl', run) };
  return { completed: true, result: { count: Number(reported.data.count ?? 0), prefix } };
});
