import { HeadObjectCommand, paginateListObjectsV2, type _Object } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { implement } from '../contract.js';
import { snapshotIdentityContract } from './snapshot-identity-contract.js';
import { deadline, s3Failure, type S3Deps } from '../s3/client.js';
import { download } from '../s3/download.js';
import { snapshotIdentity } from './snapshot-identity-read.js';

export { snapshotIdentityContract };

/** The metadata names Lifeboat's own uploader (`lifeboat backup etcd`) writes on each snapshot. */
export const IDENTITY_METADATA = 'cluster-identity';
export const CLUSTER_METADATA = 'cluster';
/** How many of Lifeboat's earlier snapshots are read (newest first) to find the identity it recorded. */
const LOOK_BACK = 50;

export type IdentityEvidence = 'lifeboat metadata' | 'snapshot contents';

type Expected = { uid: string; from: string } | { error: string };

/** The identity Lifeboat's own job recorded for `cluster`: the newest of its snapshots that carries one. */
async function recordedIdentity(
  deps: S3Deps,
  bucket: string,
  prefix: string,
  cluster: string,
  signal: AbortSignal,
): Promise<Expected> {
  const objects: _Object[] = [];
  for await (const page of paginateListObjectsV2(
    { client: deps.client },
    { Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}) },
  ))
    objects.push(...(page.Contents ?? []));
  objects.sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0));
  for (const object of objects.slice(0, LOOK_BACK)) {
    if (!object.Key) continue;
    const head = await deps.client.send(new HeadObjectCommand({ Bucket: bucket, Key: object.Key }), {
      abortSignal: signal,
    });
    const uid = head.Metadata?.[IDENTITY_METADATA];
    if (uid && head.Metadata?.[CLUSTER_METADATA] === cluster)
      return { uid, from: `lifeboat metadata of s3://${bucket}/${object.Key}` };
  }
  return {
    error: `no expected identity for cluster ${cluster}: none of the newest ${Math.min(LOOK_BACK, objects.length)} objects under s3://${bucket}/${prefix} carries Lifeboat's cluster-identity metadata for it; give the identity param (the kube-system namespace UID, recorded with kubectl get namespace kube-system -o jsonpath='{.metadata.uid}' while the cluster lived)`,
  };
}

/** The old check, said as such: the "cluster" metadata names the cluster, no identity is compared. */
function nameOnly(bucket: string, key: string, cluster: string, named: string, uid: string | undefined) {
  const result = {
    matches: named === cluster,
    ...(uid ? { uid } : {}),
    evidence: 'lifeboat metadata' as IdentityEvidence,
    expected: cluster,
    expectedFrom:
      'the cluster name only: no identity of it is recorded (give the identity param to compare identities)',
  };
  if (result.matches) return { completed: true, result };
  return {
    completed: true,
    result,
    error: `s3://${bucket}/${key} is from another cluster: its "cluster" metadata names ${named}, not ${cluster} (lifeboat metadata); pick a snapshot of ${cluster}, nothing was changed`,
  };
}

/**
 * Reads Lifeboat's metadata first; a snapshot without it (any other producer) is downloaded into the
 * workdir and its kube-system namespace read from the file, before any destructive step.
 */
export const snapshotIdentityAction = (deps: S3Deps) =>
  implement(snapshotIdentityContract, async (input, context) => {
    const signal = deadline(context);
    const { bucket, key, cluster } = input;
    const prefix = input.prefix ?? key.slice(0, key.lastIndexOf('/') + 1);
    const fail = (error: string) => ({ completed: false, result: {}, error });
    try {
      const head = await deps.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      const expected: Expected = input.identity
        ? { uid: input.identity, from: 'the identity param' }
        : await recordedIdentity(deps, bucket, prefix, cluster, signal);
      const metadataUid = head.Metadata?.[IDENTITY_METADATA];
      const metadataName = head.Metadata?.[CLUSTER_METADATA];
      // No identity recorded anywhere yet (snapshots of an older Lifeboat): its cluster name is all there is to go on.
      if ('error' in expected && metadataName !== undefined)
        return nameOnly(bucket, key, cluster, metadataName, metadataUid);
      if ('error' in expected) return fail(expected.error);
      let found: { uid: string; evidence: IdentityEvidence; revision?: number; named?: string };
      if (metadataUid) {
        found = {
          uid: metadataUid,
          evidence: 'lifeboat metadata',
          ...(head.Metadata?.[CLUSTER_METADATA] ? { named: head.Metadata[CLUSTER_METADATA] } : {}),
        };
      } else {
        context.progress(
          `s3://${bucket}/${key} has no cluster-identity metadata: reading the snapshot itself`,
        );
        const file = path.join(context.workdir, `.identity-${randomUUID()}.db`);
        try {
          const fetch = download(deps);
          const got = await fetch.run(fetch.contract.input.parse({ bucket, key, file }) as never, context);
          if (!got.completed) return fail(got.error ?? `cannot download s3://${bucket}/${key}`);
          const read = await snapshotIdentity(file);
          if ('error' in read) return fail(read.error);
          found = { uid: read.uid, evidence: 'snapshot contents', revision: read.revision };
        } finally {
          await rm(file, { force: true });
        }
      }
      const matches = found.uid === expected.uid && (found.named === undefined || found.named === cluster);
      const result = {
        matches,
        uid: found.uid,
        evidence: found.evidence,
        expected: expected.uid,
        expectedFrom: expected.from,
        ...(found.revision !== undefined ? { revision: found.revision } : {}),
      };
      if (matches) return { completed: true, result };
      const named =
        found.named !== undefined && found.named !== cluster ? ` and names cluster ${found.named}` : '';
      return {
        completed: true,
        result,
        error: `s3://${bucket}/${key} is from another cluster: its kube-system UID is ${found.uid} (${found.evidence})${named}, but ${cluster} is ${expected.uid} (${expected.from}); pick a snapshot of ${cluster}, nothing was changed`,
      };
    } catch (error) {
      return fail(s3Failure(error, deps.settings, context, bucket, key));
    }
  });
