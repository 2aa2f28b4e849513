import { z } from 'zod';
import { actionContract, implement } from '../contract.js';
import { notRun, toolError } from '../run-tool.js';
import { accessArgs, commandTimeout, etcdctl, resolveAccess } from './etcdctl.js';
import { etcdTarget, listMembers, memberOf, parseEtcdJson, RawMember, type Member } from './member-access.js';
import { MemberName } from './member-remove.js';

const PeerUrl = z.string().regex(/^https?:\/\/[A-Za-z0-9.:[\]-]+$/, {
  message: 'expected a peer URL such as https://10.0.0.2:2380',
});

export const memberAddContract = actionContract({
  name: 'etcd.member-add',
  summary: 'Add a member to the etcd cluster; it joins when started with --initial-cluster-state existing',
  readOnly: false,
  timeout: '1m',
  input: z.strictObject({
    ...etcdTarget,
    name: MemberName.describe('name of the new member (kubeadm: the node name)'),
    peerUrls: z
      .union([z.string().transform((text) => text.split(',').map((url) => url.trim())), z.array(z.string())])
      .pipe(z.array(PeerUrl).min(1))
      .describe('its peer URL(s), a list or comma-separated, e.g. https://10.0.0.2:2380'),
  }),
  result: {
    id: 'hex ID of the added member',
    name: 'its name',
    initialCluster: 'NAME=PEER_URL of every member, for the new member’s --initial-cluster',
    initialClusterState: 'always existing: the new member joins, it does not found a cluster',
    adopted:
      'true when an unstarted member with these peer URLs was already there (a retry), so none was added',
  },
});

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
