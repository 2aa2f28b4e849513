import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  type LifecycleRule,
  type ReplicationRule,
} from '@aws-sdk/client-s3';
import {
  judgeBucket,
  type LifecycleRuleView,
  type ReplicationRuleView,
} from '../../domain/bucket-protection.js';
import { implement } from '../contract.js';
import { bucketProtectionContract } from './bucket-protection-contract.js';
import { deadline, s3Failure, type S3Deps } from './client.js';

/** S3 answers 404 with these codes when a bucket has no such configuration (S3 API reference, Get* pages). */
const NOT_CONFIGURED = new Set(['NoSuchLifecycleConfiguration', 'ReplicationConfigurationNotFoundError']);
const notConfigured = (error: unknown): boolean =>
  NOT_CONFIGURED.has((error as { name?: string }).name ?? '');

function narrowed(
  filter:
    | {
        Tag?: unknown;
        ObjectSizeGreaterThan?: unknown;
        ObjectSizeLessThan?: unknown;
        And?: { Tags?: unknown[]; ObjectSizeGreaterThan?: unknown; ObjectSizeLessThan?: unknown };
      }
    | undefined,
): boolean {
  if (!filter) return false;
  const and = filter.And;
  return (
    filter.Tag !== undefined ||
    filter.ObjectSizeGreaterThan !== undefined ||
    filter.ObjectSizeLessThan !== undefined ||
    (and !== undefined &&
      ((and.Tags?.length ?? 0) > 0 ||
        and.ObjectSizeGreaterThan !== undefined ||
        and.ObjectSizeLessThan !== undefined))
  );
}

function lifecycleView(rule: LifecycleRule): LifecycleRuleView {
  const prefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix;
  return {
    ...(rule.ID ? { id: rule.ID } : {}),
    enabled: rule.Status === 'Enabled',
    ...(prefix !== undefined ? { prefix } : {}),
    narrowed: narrowed(rule.Filter),
    expires: rule.Expiration?.Days !== undefined || rule.Expiration?.Date !== undefined,
    expiresNoncurrent: rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined,
  };
}

function replicationView(rule: ReplicationRule): ReplicationRuleView {
  const prefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix;
  return {
    ...(rule.ID ? { id: rule.ID } : {}),
    enabled: rule.Status === 'Enabled',
    ...(prefix !== undefined ? { prefix } : {}),
    narrowed: rule.Filter?.Tag !== undefined || (rule.Filter?.And?.Tags?.length ?? 0) > 0,
    destinationBucket: rule.Destination?.Bucket ?? '',
  };
}

/** Reads the three bucket settings and judges them (domain/bucket-protection.ts). */
export const bucketProtection = (deps: S3Deps) =>
  implement(bucketProtectionContract, async (input, context) => {
    const abortSignal = deadline(context);
    const { bucket } = input;
    const prefix = input.prefix ?? '';
    try {
      const versioning = await deps.client.send(new GetBucketVersioningCommand({ Bucket: bucket }), {
        abortSignal,
      });
      const lifecycle = await deps.client
        .send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }), { abortSignal })
        .then((answer) => (answer.Rules ?? []).map(lifecycleView))
        .catch((error: unknown) => {
          if (notConfigured(error)) return undefined;
          throw error;
        });
      const replication = input.replicateTo
        ? await deps.client
            .send(new GetBucketReplicationCommand({ Bucket: bucket }), { abortSignal })
            .then((answer) => (answer.ReplicationConfiguration?.Rules ?? []).map(replicationView))
            .catch((error: unknown) => {
              if (notConfigured(error)) return undefined;
              throw error;
            })
        : undefined;
      const judged = judgeBucket({
        bucket,
        prefix,
        versioning:
          versioning.Status === 'Enabled'
            ? 'Enabled'
            : versioning.Status === 'Suspended'
              ? 'Suspended'
              : 'Off',
        ...(lifecycle ? { lifecycle } : {}),
        ...(replication ? { replication } : {}),
        ...(input.replicateTo
          ? {
              expectReplication: {
                bucket: input.replicateTo,
                ...(input.replicateRegion ? { region: input.replicateRegion } : {}),
              },
            }
          : {}),
      });
      const result = { ...judged, problems: [...judged.problems] };
      return judged.protected
        ? { completed: true, result }
        : { completed: true, result, error: judged.problems.join('; ') };
    } catch (error) {
      return { completed: false, result: {}, error: s3Failure(error, deps.settings, context, bucket) };
    }
  });
