import { z } from 'zod';
import { actionContract } from '../contract.js';
import { accessInput } from './target-inputs.js';

export const snapshotRestoreContract = actionContract({
  name: 'etcd.snapshot-restore',
  summary: 'Restore a snapshot into a fresh data dir for every member (a new logical cluster)',
  readOnly: false,
  input: z.strictObject({
    file: z.string().min(1).describe('snapshot file path'),
    initialCluster: z
      .string()
      .min(1)
      .describe('every member as NAME=PEER_URL, comma-separated; all are restored from the same snapshot'),
    dataDirRoot: z.string().min(1).describe('folder that receives one data dir per member, named NAME.etcd'),
    token: z
      .string()
      .min(1)
      .optional()
      .describe('initial cluster token (default: lifeboat-restore-<incident id>)'),
    // Templates render to strings, so "1000000000" counts as a number too; 0 is the runbook's explicit opt-out.
    bumpRevision: z
      .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)])
      .optional()
      .describe(
        'revision bump with --mark-compacted (default 1000000000; needs etcdutl 3.5.10+) so watches re-list; 0 restores without it, which sends the revision backwards',
      ),
    // The cluster (or endpoints) whose etcd version the restore tool must match, where it still answers.
    cluster: accessInput.cluster.describe(
      "cluster whose running members' etcd version the tool must match, where they answer",
    ),
    endpoints: accessInput.endpoints.describe('etcd endpoints for that version check, instead of cluster'),
  }),
  result: {
    dataDirs: 'restored data dirs by member',
    tool: 'etcdutl or etcdctl',
    token: 'the initial cluster token the members were restored with',
    bumpRevision: 'the revision bump applied (0: none)',
    markCompacted: 'true when the bumped revision was marked compacted',
    toolVersion: "the restore tool's etcd release",
    clusterVersion: 'etcd version a running member reported, if any answered',
    snapshotVersion: 'cluster version stored in the snapshot',
    versionEvidence: 'what the tool version was checked against',
    reused: 'true when an earlier run of this very restore had already written the data dirs',
    durationMs: 'how long the action took',
  },
});
