import { z } from 'zod';
import { actionContract } from '../contract.js';

export const snapshotIdentityContract = actionContract({
  name: 'etcd.snapshot-identity',
  summary:
    "Whether an etcd snapshot in object storage comes from the cluster being restored: by Lifeboat's cluster-identity metadata, or else by the kube-system namespace UID read from the snapshot itself",
  readOnly: true,
  timeout: '30m',
  input: z.strictObject({
    bucket: z.string().min(1).describe('bucket that holds the snapshot'),
    key: z.string().min(1).describe('object key of the snapshot'),
    cluster: z
      .string()
      .min(1)
      .describe('name of the cluster the snapshot must come from, as in the "cluster" metadata'),
    identity: z
      .string()
      .optional()
      .describe(
        'kube-system namespace UID expected (recorded while the cluster lived); empty: the cluster-identity Lifeboat recorded on its own snapshots of that cluster under prefix',
      ),
    prefix: z
      .string()
      .optional()
      .describe("where Lifeboat's own earlier snapshots are looked for (default: the key's folder)"),
  }),
  result: {
    matches: 'true when the snapshot carries the expected identity',
    uid: "the snapshot's cluster identity (kube-system namespace UID)",
    evidence: 'where uid was read: "lifeboat metadata" or "snapshot contents"',
    expected: 'the identity it was held against',
    expectedFrom:
      'where the expected identity came from (the param, an earlier Lifeboat snapshot, or only the cluster name when no identity is recorded)',
    revision: 'etcd revision of the kube-system namespace in the snapshot (snapshot contents only)',
  },
});
