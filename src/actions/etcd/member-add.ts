import { z } from 'zod';
import { implement } from '../contract.js';
import { notRun, toolError } from '../run-tool.js';
import { accessArgs, commandTimeout, etcdctl, resolveAccess } from './etcdctl.js';
import { listMembers, memberOf, parseEtcdJson, RawMember, type Member } from './member-access.js';
import { memberAddContract } from './member-add-contract.js';

const Added = z.object({ member: RawMember, members: z.array(RawMember) });

/** What etcdctl prints as ETCD_INITIAL_CLUSTER: every member's peer URLs, the new one under its given name (etcdctl/ctlv3/command/member_command.go). */
function initialCluster(members: readonly Member[], added: Member, name: string): string {
  return members
    .flatMap((m) => m.peerURLs.map((url) => `${m.id === added.id ? name : m.name}=${url}`))
    .join(',');
}

const same = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((url) => b.includes(url));

/** `etcdctl member add NAME --peer-urls=…`: the second half of "replace a failed machine". */
export const memberAdd = implement(memberAddContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const listed = await listMembers(resolved.access, context);
  if ('error' in listed) return { completed: false, result: {}, error: listed.error };
  const result = (members: readonly Member[], added: Member, adopted: boolean) => ({
    completed: true,
    result: {
      id: added.id,
      name: input.name,
      initialCluster: initialCluster(members, added, input.name),
      initialClusterState: 'existing',
      adopted,
    },
  });
  // etcd refuses a second member at the same peer URLs; an unstarted one there is this step's own earlier try.
  const earlier = listed.members.find((m) => same(m.peerURLs, input.peerUrls));
  if (earlier && !earlier.started) return result(listed.members, earlier, true);
  if (earlier)
    return {
      completed: false,
      result: {},
      error: `member ${earlier.name} (${earlier.id}) already uses ${input.peerUrls.join(',')}: remove it first (etcd.member-remove)`,
    };
  const args = [
    ...accessArgs(resolved.access),
    commandTimeout(context, 30),
    'member',
    'add',
    input.name,
    `--peer-urls=${input.peerUrls.join(',')}`,
    '-w',
    'json',
  ];
  const run = await etcdctl(args, context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { completed: false, result: {}, error: failed };
  const added = Added.safeParse(parseEtcdJson(run.stdout));
  if (run.exitCode !== 0 || !added.success)
    return { completed: false, result: {}, error: toolError('etcdctl', run) };
  return result(added.data.members.map(memberOf), memberOf(added.data.member), false);
});
