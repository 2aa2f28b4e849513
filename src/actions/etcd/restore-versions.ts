import type { ActionContext } from '../../engine/action-port.js';
import { clusterVersions, majorMinor, toolVersion, type EtcdAccess } from './etcdctl.js';
import { snapshotClusterVersion } from './snapshot-version.js';

/** What the restore tool was checked against, in words for the step's result. */
export type RestoreVersions = {
  readonly toolVersion: string;
  readonly clusterVersion?: string;
  readonly snapshotVersion?: string;
  readonly versionEvidence: readonly string[];
};

/**
 * A restore tool of another major.minor than the cluster's etcd writes a data dir that etcd may
 * refuse or misread (etcd supports upgrades one minor at a time, from a running cluster), so the tool
 * is held against the cluster's members where they answer, and against the snapshot's stored version.
 */
export async function checkRestoreVersions(
  tool: 'etcdutl' | 'etcdctl',
  file: string,
  access: EtcdAccess | undefined,
  context: ActionContext,
): Promise<RestoreVersions | { error: string }> {
  const [ownTool, members, snapshotVersion] = await Promise.all([
    toolVersion(tool, context),
    access ? clusterVersions(access, context) : Promise.resolve([]),
    snapshotClusterVersion(file),
  ]);
  if ('error' in ownTool) return ownTool;
  const ownVersion = ownTool.version;
  const evidence: string[] = [];
  const mismatches: string[] = [];
  const own = majorMinor(ownVersion);
  if (access && members.length === 0)
    evidence.push(
      `cluster: no member answered endpoint status at ${access.endpoints.join(', ')} (expected when the cluster is lost)`,
    );
  for (const member of members) {
    evidence.push(`cluster: ${member.endpoint} runs etcd ${member.version} (endpoint status)`);
    if (majorMinor(member.version) !== own) mismatches.push(`${member.endpoint} runs etcd ${member.version}`);
  }
  if (snapshotVersion) {
    evidence.push(
      `snapshot: written by an etcd ${majorMinor(snapshotVersion)} cluster (its stored cluster version)`,
    );
    if (majorMinor(snapshotVersion) !== own)
      mismatches.push(`the snapshot was written by etcd ${majorMinor(snapshotVersion)}`);
  } else evidence.push('snapshot: holds no cluster version (not an etcd snapshot, or damaged)');
  if (mismatches.length > 0)
    return {
      error: `${tool} ${ownVersion} cannot restore this snapshot: ${mismatches.join(', ')}; restore with the etcd tools of the cluster's own major.minor (nothing was changed)`,
    };
  if (members.length === 0 && !snapshotVersion)
    return {
      error: `cannot tell which etcd the snapshot ${file} is from (no cluster member answered, and the file holds no cluster version): check it with ${tool} snapshot status`,
    };
  const clusterVersion = members[0]?.version;
  return {
    toolVersion: ownVersion,
    ...(clusterVersion ? { clusterVersion } : {}),
    ...(snapshotVersion ? { snapshotVersion } : {}),
    versionEvidence: evidence,
  };
}
