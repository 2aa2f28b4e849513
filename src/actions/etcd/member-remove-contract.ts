import { z } from 'zod';
import { actionContract } from '../contract.js';
import { etcdTarget } from './target-inputs.js';

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
