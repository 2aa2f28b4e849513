import { z } from 'zod';
import { implement } from '../contract.js';
import { accessArgs, commandTimeout, etcdctl, parseJson, resolveAccess } from './etcdctl.js';
import { notRun, toolError } from '../run-tool.js';
import { keyCountContract } from './key-count-contract.js';

/** etcd leaves `count` out of the JSON when it is zero. */
const Reported = z.object({ count: z.union([z.number(), z.string()]).optional() });

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
