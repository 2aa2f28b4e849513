import { implement } from '../contract.js';
import { resolveAccess } from './etcdctl.js';
import { listMembers } from './member-access.js';
import { memberListContract } from './member-list-contract.js';

export const memberList = implement(memberListContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const listed = await listMembers(resolved.access, context);
  if ('error' in listed) return { completed: false, result: {}, error: listed.error };
  const started = listed.members.filter((member) => member.started);
  return {
    completed: true,
    result: {
      members: listed.members,
      count: listed.members.length,
      started: started.length,
      unstarted: listed.members.length - started.length,
      names: started
        .map((member) => member.name)
        .sort()
        .join(','),
    },
  };
});
