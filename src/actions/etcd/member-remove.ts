import { z } from 'zod';
import { actionContract, implement } from '../contract.js';
import { notRun, toolError } from '../run-tool.js';
import { accessArgs, commandTimeout, etcdctl, resolveAccess } from './etcdctl.js';
import { etcdTarget, listMembers } from './member-access.js';

/** A member's name as etcd knows it (kubeadm names it after its node, so an FQDN), or its hex ID. */
export const MemberName = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: 'expected a member name or hex ID (letters, digits, . _ -)',
  });

export const memberRemoveContract = actionContract({
  name: 'etcd.member-remove',
  summary: 'Remove one member from the etcd cluster (by name or hex ID); the others must hold quorum',
  readOnly: false,
  timeout: '1m',
  input: z.strictObject({
    ...etcdTarget,
    member: MemberName.describe('the member to remove: its name (member list) or its hex ID'),
  }),
  result: {
    id: 'hex ID of the removed member',
    name: 'name of the removed member',
    remaining: 'how many members are left',
  },
});

/**
 * `etcdctl member remove ID`, the first half of "replace a failed machine"
 * (https://etcd.io/docs/v3.5/op-guide/runtime-configuration/#replace-a-failed-machine). etcd itself
 * refuses a removal that would leave too few started members for quorum (--strict-reconfig-check,
 * on by default), so this never turns a degraded cluster into a dead one.
 */
export const memberRemove = implement(memberRemoveContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const listed = await listMembers(resolved.access, context);
  if ('error' in listed) return { completed: false, result: {}, error: listed.error };
  const target = listed.members.find((m) => m.name === input.member || m.id === input.member.toLowerCase());
  if (!target) {
    const known = listed.members.map((m) => `${m.name || '(unstarted)'} ${m.id}`).join(', ');
    return {
      completed: false,
      result: {},
      error: `etcd has no member ${input.member} (members: ${known}); if this step removed it already, skip it`,
    };
  }
  const args = [...accessArgs(resolved.access), commandTimeout(context, 30), 'member', 'remove', target.id];
  const run = await etcdctl(args, context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { completed: false, result: {}, error: failed };
  if (run.exitCode !== 0) return { completed: false, result: {}, error: toolError('etcdctl', run) };
  return {
    completed: true,
    result: { id: target.id, name: target.name, remaining: listed.members.length - 1 },
  };
});
