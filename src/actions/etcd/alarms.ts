import { z } from 'zod';
import { implement } from '../contract.js';
import { notRun, toolError } from '../run-tool.js';
import { accessArgs, commandTimeout, etcdctl, parseJson, resolveAccess, type EtcdAccess } from './etcdctl.js';
import { alarmsContract } from './alarms-contract.js';

/** etcd's default backend quota (--quota-backend-bytes unset): 2 GiB, etcd.io/docs/v3.5/dev-guide/limit/. */
export const DEFAULT_QUOTA_BYTES = 2 * 1024 ** 3;

export type Alarm = { readonly memberId: string; readonly alarm: string };

/**
 * `alarm list`'s plain lines, `memberID:16279038442028248783 alarm:NOSPACE ` (etcdctl 3.4 and 3.5).
 * Not `-w json`: member IDs are 64-bit and a JSON number would round them.
 */
export function parseAlarms(stdout: string): Alarm[] {
  return [...stdout.matchAll(/memberID:(\d+)\s+alarm:(\w+)/g)].map((match) => ({
    memberId: BigInt(match[1] ?? '0').toString(16),
    alarm: match[2] ?? '',
  }));
}

const Status = z.array(
  z.object({
    Endpoint: z.string(),
    Status: z.object({ dbSize: z.number().optional(), dbSizeInUse: z.number().optional() }),
  }),
);

type Member = { endpoint: string; dbSize: number; dbSizeInUse: number; percentOfQuota: number };

async function dbSizes(
  etcd: EtcdAccess,
  quota: number,
  context: Parameters<typeof etcdctl>[1],
): Promise<Member[] | { error: string }> {
  const args = [...accessArgs(etcd), '--dial-timeout=2s', commandTimeout(context, 5), 'endpoint', 'status'];
  const run = await etcdctl([...args, '-w', 'json'], context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { error: failed };
  // etcdctl exits 1 when some endpoint fails but still prints the others' status.
  const reported = Status.safeParse(parseJson(run.stdout));
  if (!reported.success || reported.data.length === 0) return { error: toolError('etcdctl', run) };
  return reported.data.map(({ Endpoint, Status: status }) => {
    const dbSize = status.dbSize ?? 0;
    return {
      endpoint: Endpoint,
      dbSize,
      dbSizeInUse: status.dbSizeInUse ?? dbSize,
      percentOfQuota: Math.round((dbSize / quota) * 1000) / 10,
    };
  });
}

const WHAT_NEXT: Readonly<Record<string, string>> = {
  NOSPACE:
    'the database hit its quota and etcd refuses writes: compact, defragment each member, then etcdctl alarm disarm (etcd.io/docs/v3.5/op-guide/maintenance/#space-quota)',
  CORRUPT:
    'a member’s data differs from the others: take it out and re-add it from a healthy member or a snapshot, do not disarm',
};

/**
 * The "disk" and alarm part of a control-plane diagnosis: an etcd with NOSPACE raised answers
 * reads but refuses every write, so the API server looks up yet nothing can change.
 */
export const alarms = implement(alarmsContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const quota = input.quotaBytes ?? DEFAULT_QUOTA_BYTES;
  const maxPercent = input.maxPercent ?? 80;
  if (quota <= 0) return { completed: false, result: {}, error: 'quotaBytes must be above 0' };
  const run = await etcdctl(
    [...accessArgs(resolved.access), commandTimeout(context, 5), 'alarm', 'list'],
    context,
  );
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { completed: false, result: {}, error: failed };
  if (run.exitCode !== 0) return { completed: false, result: {}, error: toolError('etcdctl', run) };
  const raised = parseAlarms(run.stdout);
  const members = await dbSizes(resolved.access, quota, context);
  if ('error' in members) return { completed: false, result: { alarms: raised }, error: members.error };
  const full = members.filter((member) => member.percentOfQuota >= maxPercent);
  const ok = raised.length === 0 && full.length === 0;
  const result = { ok, alarms: raised, members };
  if (ok) return { completed: true, result };
  const problems = [
    ...raised.map(
      (a) => `alarm ${a.alarm} on member ${a.memberId}: ${WHAT_NEXT[a.alarm] ?? 'see etcdctl alarm list'}`,
    ),
    ...full.map(
      (m) =>
        `${m.endpoint} database is ${m.dbSize} bytes, ${m.percentOfQuota}% of the ${quota}-byte quota (${m.dbSizeInUse} in use: defragment to reclaim the rest)`,
    ),
  ];
  return { completed: true, result, error: problems.join('; ') };
});
