import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { clusterVersions } from '../actions/etcd/etcdctl.js';
import { etcdActions } from '../actions/etcd/index.js';
import { CLUSTER_METADATA, IDENTITY_METADATA } from '../actions/etcd/snapshot-identity.js';
import { snapshotClusterVersion } from '../actions/etcd/snapshot-version.js';
import { kubeConfigFromDefault, type KubeConfigSource } from '../actions/k8s/clients.js';
import { createRegistry } from '../actions/registry.js';
import { s3Actions } from '../actions/s3/index.js';
import { readConfigFile } from '../config.js';
import type { ActionContext, ActionOutcome } from '../engine/action-port.js';
import { clusterLookup } from '../engine/scope.js';
import { errorMessage } from '../errors.js';
import { clusterIdentity } from './backup-identity.js';

/** Exit codes: 0 uploaded, 1 no snapshot uploaded, 3 uploaded but the bucket does not protect it. */
export const BACKUP_EXIT = { ok: 0, failed: 1, unprotected: 3 } as const;

export type BackupOptions = {
  readonly cluster: string;
  readonly config?: string;
  readonly format: string;
  /** etcd client URLs instead of the config's (the CronJob's node address, from the downward API). */
  readonly endpoints?: readonly string[];
  /** Tests pass the emulator's kubeconfig loader; the CLI uses KUBECONFIG or in-cluster. */
  readonly kube?: KubeConfigSource;
};

/** `20261201T230500Z`: sorts as it reads, no `:` (which some tools mangle in keys). */
const stamp = (time: Date): string => time.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

/** Where a cluster's snapshots go: PREFIX/CLUSTER/TIMESTAMP.db, under the prefix the backup watch lists. */
export function snapshotKey(prefix: string, cluster: string, time: Date): string {
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${folder}${cluster}/${stamp(time)}.db`;
}

const say = (line: string) => process.stderr.write(`lifeboat backup etcd: ${line}\n`);

/**
 * `lifeboat backup etcd --cluster NAME`: snapshot the cluster's etcd (the first healthy member),
 * check it offline, and upload it with its sha256 and what a restore must know: which cluster
 * (name and identity), etcd version, revision and time. Any failure exits 1 with why and leaves no
 * object behind, so the backup watch sees the snapshot age grow past the RPO.
 */
export async function backupEtcdCommand(options: BackupOptions): Promise<number> {
  const { cluster } = options;
  let config;
  try {
    config = await readConfigFile(options.config);
  } catch (error) {
    say(errorMessage(error));
    return BACKUP_EXIT.failed;
  }
  const configured = clusterLookup(config.clusters)(cluster);
  const target =
    configured?.etcd && options.endpoints?.length
      ? { ...configured, etcd: { ...configured.etcd, endpoints: [...options.endpoints] } }
      : configured;
  if (!target?.etcd) {
    say(
      target
        ? `cluster ${cluster} has no etcd access: set clusters.${cluster}.etcd.endpoints (and cacert, cert, key for TLS) in LIFEBOAT_CONFIG`
        : `cluster ${cluster} is not in LIFEBOAT_CONFIG clusters: add clusters.${cluster} with its context and etcd endpoints`,
    );
    return BACKUP_EXIT.failed;
  }
  const destination = config.backups.etcd.find((entry) => entry.name === cluster);
  if (!destination) {
    say(
      `LIFEBOAT_CONFIG has no backups.etcd entry named ${cluster}: add { name: ${cluster}, bucket: BUCKET, prefix: PREFIX, rpo: 1h } (the backup watch reads the same entry)`,
    );
    return BACKUP_EXIT.failed;
  }
  const workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-backup-'));
  const controller = new AbortController();
  const context = (timeoutMs: number): ActionContext => ({
    incidentId: `backup-${cluster}`,
    workdir,
    signal: controller.signal,
    timeoutMs,
    progress: say,
    cluster: (name) => (name === cluster ? target : clusterLookup(config.clusters)(name)),
  });
  const registry = createRegistry({ ...etcdActions(), ...s3Actions(config.s3) });
  const step = async (
    action: string,
    input: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<ActionOutcome> => registry.run(action, input, context(timeoutMs));
  try {
    const identity = await clusterIdentity(options.kube ?? kubeConfigFromDefault, target, controller.signal);
    if ('error' in identity) return failed(identity.error);
    const takenAt = new Date();
    const saved = await step('etcd.snapshot-save', { cluster, file: 'snapshot.db' }, 30 * 60_000);
    if (!saved.completed) return failed(`snapshot failed: ${saved.error ?? 'no reason given'}`);
    const file = String(saved.result.file);
    const status = await step('etcd.snapshot-status', { file }, 5 * 60_000);
    if (!status.completed) return failed(`the snapshot does not read back: ${status.error ?? ''}`);
    const members = await clusterVersions(
      { ...target.etcd, endpoints: [String(saved.result.endpoint)] },
      context(30_000),
    );
    const etcdVersion = members[0]?.version ?? (await snapshotClusterVersion(file)) ?? 'unknown';
    const key = snapshotKey(destination.prefix, cluster, takenAt);
    const metadata = {
      [CLUSTER_METADATA]: cluster,
      [IDENTITY_METADATA]: identity.uid,
      'etcd-version': etcdVersion,
      revision: String(status.result.revision),
      'taken-at': takenAt.toISOString(),
    };
    const uploaded = await step(
      's3.upload',
      { bucket: destination.bucket, key, file, metadata },
      30 * 60_000,
    );
    if (!uploaded.completed) return failed(`upload failed: ${uploaded.error ?? ''}`);
    const protection = await step(
      's3.bucket-protection',
      {
        bucket: destination.bucket,
        prefix: destination.prefix,
        ...(destination.replication
          ? {
              replicateTo: destination.replication.bucket,
              ...(destination.replication.region ? { replicateRegion: destination.replication.region } : {}),
            }
          : {}),
      },
      2 * 60_000,
    );
    const problems = Array.isArray(protection.result.problems)
      ? (protection.result.problems as string[])
      : [];
    const summary = {
      cluster,
      key: `s3://${destination.bucket}/${key}`,
      size: uploaded.result.size,
      sha256: uploaded.result.sha256,
      revision: status.result.revision,
      totalKey: status.result.totalKey,
      etcdVersion,
      identity: identity.uid,
      bucketProtected: protection.result.protected === true,
      bucketProblems: protection.completed
        ? problems
        : [protection.error ?? 'bucket settings could not be read'],
    };
    process.stdout.write(
      options.format === 'json'
        ? `${JSON.stringify(summary, null, 2)}\n`
        : `uploaded ${summary.key} (${String(summary.size)} bytes, sha256 ${String(summary.sha256)}, revision ${String(summary.revision)}, etcd ${etcdVersion}, identity ${identity.uid})\n`,
    );
    if (summary.bucketProtected) return BACKUP_EXIT.ok;
    for (const problem of summary.bucketProblems) say(`the snapshot is uploaded, but ${problem}`);
    return BACKUP_EXIT.unprotected;
  } catch (error) {
    return failed(errorMessage(error));
  } finally {
    controller.abort();
    await rm(workdir, { recursive: true, force: true });
  }
}

function failed(why: string): number {
  say(`${why}; no snapshot was uploaded`);
  return BACKUP_EXIT.failed;
}
