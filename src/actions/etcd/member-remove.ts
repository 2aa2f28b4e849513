import { implement } from '../contract.js';
import { notRun, toolError } from '../run-tool.js';
import { accessArgs, commandTimeout, etcdctl, resolveAccess } from './etcdctl.js';
import { listMembers } from './member-access.js';
import { memberRemoveContract } from './member-remove-contract.js';

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
