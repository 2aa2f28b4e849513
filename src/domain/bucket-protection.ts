import type { BackupState } from './backups.js';
import type { BackupWatch } from './config.js';

/**
 * Whether the bucket that holds etcd snapshots protects them: versioning (an overwrite or delete
 * keeps the old version), a lifecycle rule that expires old snapshots (the bucket does not grow
 * forever, nor is emptied by hand), and, where expected, replication to a bucket in another region.
 * Rules are read as S3 applies them (docs.aws.amazon.com/AmazonS3/latest/userguide/
 * intro-lifecycle-rules.html, replication-add-config.html): a rule filters by key prefix, tags or
 * size; only a rule with no tag or size condition surely covers every snapshot under the prefix.
 */

export type RuleView = {
  readonly id?: string;
  readonly enabled: boolean;
  /** The key prefix the rule selects ('' or absent: the whole bucket). */
  readonly prefix?: string;
  /** A tag or size condition: the rule selects only some objects under its prefix. */
  readonly narrowed: boolean;
};
export type LifecycleRuleView = RuleView & {
  /** Expiration with Days or Date: current versions are expired. */
  readonly expires: boolean;
  /** NoncurrentVersionExpiration with NoncurrentDays: old versions are removed. */
  readonly expiresNoncurrent: boolean;
};
export type ReplicationRuleView = RuleView & { readonly destinationBucket: string };

export type BucketFacts = {
  readonly bucket: string;
  readonly prefix: string;
  /** GetBucketVersioning's Status; 'Off' when the bucket never had versioning (no Status element). */
  readonly versioning: 'Enabled' | 'Suspended' | 'Off';
  /** undefined: NoSuchLifecycleConfiguration. */
  readonly lifecycle?: readonly LifecycleRuleView[];
  /** undefined: ReplicationConfigurationNotFoundError; only asked when replication is expected. */
  readonly replication?: readonly ReplicationRuleView[];
  /** The config's `replication` expectation: the destination bucket (in another region). */
  readonly expectReplication?: { readonly bucket: string; readonly region?: string };
};

export type BucketProtection = {
  readonly versioning: boolean;
  readonly lifecycle: boolean;
  /** undefined when no replication is expected. */
  readonly replication?: boolean;
  readonly protected: boolean;
  readonly problems: readonly string[];
};

/** The rule applies to every object under `prefix`. */
function covers(rule: RuleView, prefix: string): boolean {
  return rule.enabled && !rule.narrowed && prefix.startsWith(rule.prefix ?? '');
}

/** "arn:aws:s3:::name" or a bare name, as S3 accepts a replication destination. */
const bucketName = (destination: string): string => destination.replace(/^arn:aws[a-z-]*:s3:::/, '');

export function judgeBucket(facts: BucketFacts): BucketProtection {
  const where = `s3://${facts.bucket}/${facts.prefix}`;
  const problems: string[] = [];
  const versioning = facts.versioning === 'Enabled';
  if (!versioning)
    problems.push(
      `versioning is ${facts.versioning === 'Off' ? 'not enabled' : 'suspended'} on ${facts.bucket}: a deleted or overwritten snapshot is gone; enable it (aws s3api put-bucket-versioning --versioning-configuration Status=Enabled)`,
    );
  const expiring = (facts.lifecycle ?? []).filter(
    (rule) => covers(rule, facts.prefix) && (rule.expires || rule.expiresNoncurrent),
  );
  const lifecycle = expiring.length > 0;
  if (!lifecycle)
    problems.push(
      facts.lifecycle === undefined
        ? `${facts.bucket} has no lifecycle configuration: old snapshots are never expired; add a rule with Expiration or NoncurrentVersionExpiration for ${where}`
        : `no enabled lifecycle rule of ${facts.bucket} expires ${where} (a rule with Expiration or NoncurrentVersionExpiration, no tag or size filter)`,
    );
  let replication: boolean | undefined;
  const expected = facts.expectReplication;
  if (expected) {
    replication = (facts.replication ?? []).some(
      (rule) => covers(rule, facts.prefix) && bucketName(rule.destinationBucket) === expected.bucket,
    );
    const region = expected.region ? ` in ${expected.region}` : '';
    if (!replication)
      problems.push(
        facts.replication === undefined
          ? `${facts.bucket} has no replication configuration: a region outage takes the snapshots with it; replicate ${where} to ${expected.bucket}${region}`
          : `no enabled replication rule of ${facts.bucket} copies ${where} to ${expected.bucket}${region}`,
      );
  }
  return {
    versioning,
    lifecycle,
    ...(replication !== undefined ? { replication } : {}),
    protected: problems.length === 0,
    problems,
  };
}

/** The watch's view of a bucket: failing while any protection is missing, with every problem named. */
export function bucketState(
  source: string,
  outcome: { result: Readonly<Record<string, unknown>>; error?: string },
  now: number,
): BackupState {
  const base = { source, rpoSeconds: 0, checkedAt: now };
  const problems = Array.isArray(outcome.result.problems)
    ? outcome.result.problems.filter((p): p is string => typeof p === 'string')
    : [];
  if (outcome.result.protected === true)
    return { ...base, status: 'fresh', detail: 'versioned, old snapshots expire, replicated where expected' };
  if (problems.length > 0) return { ...base, status: 'failing', detail: problems.join('; ') };
  return { ...base, status: 'unknown', detail: outcome.error ?? 'bucket settings could not be read' };
}

/** The watch's bucket checks: one per etcd source that asks for it, named `bucket/NAME`. */
export function bucketChecks(watch: BackupWatch): {
  source: string;
  call: { action: string; with: Record<string, unknown>; timeout: string };
}[] {
  return watch.etcd
    .filter((etcd) => etcd.checkBucket)
    .map((etcd) => ({
      source: `bucket/${etcd.name}`,
      call: {
        action: 's3.bucket-protection',
        with: {
          bucket: etcd.bucket,
          prefix: etcd.prefix,
          ...(etcd.replication
            ? {
                replicateTo: etcd.replication.bucket,
                ...(etcd.replication.region ? { replicateRegion: etcd.replication.region } : {}),
              }
            : {}),
        },
        timeout: '2m',
      },
    }));
}
