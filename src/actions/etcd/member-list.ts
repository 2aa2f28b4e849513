import { z } from 'zod';
import { actionContract, implement } from '../contract.js';
import { resolveAccess } from './etcdctl.js';
import { etcdTarget, listMembers } from './member-access.js';

export const memberListContract = actionContract({
  name: 'etcd.member-list',
  summary: "etcd's members: ID, name, peer and client URLs, whether each has started",
  readOnly: true,
  timeout: '1m',
  input: z.strictObject(etcdTarget),
  result: {
    members: 'per member: id (hex, as member remove takes it), name, peerURLs, clientURLs, started, learner',
    count: 'how many members the cluster has',
    started: 'how many of them have started (an added member is unstarted until it joins)',
    unstarted: 'how many were added but have not joined yet',
    names: 'the started members’ names, comma-separated, sorted, so a check can compare them',
  },
});

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
