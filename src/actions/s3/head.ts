import { HeadBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { implement } from '../contract.js';
import { deadline, plainEtag, s3Failure, type S3Deps } from './client.js';
import { headContract } from './head-contract.js';

const notFound = (error: unknown): boolean =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** A missing object is an answer (exists: false); a missing bucket is a mistake worth saying. */
export function head(deps: S3Deps) {
  return implement(headContract, async ({ bucket, key }, context) => {
    const abortSignal = deadline(context);
    try {
      const found = await deps.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal,
      });
      return {
        completed: true,
        result: {
          exists: true,
          size: found.ContentLength ?? 0,
          time: found.LastModified?.toISOString() ?? '',
          metadata: found.Metadata ?? {},
          etag: plainEtag(found.ETag) ?? '',
        },
      };
    } catch (error) {
      if (!notFound(error))
        return {
          completed: false,
          result: {},
          error: s3Failure(error, deps.settings, context, bucket, key),
        };
    }
    // A HEAD answer has no body, so a 404 does not say whether the bucket or the key is missing.
    try {
      await deps.client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal });
      return { completed: true, result: { exists: false } };
    } catch (error) {
      const why = notFound(error)
        ? `bucket ${bucket} does not exist`
        : s3Failure(error, deps.settings, context, bucket);
      return { completed: false, result: {}, error: why };
    }
  });
}
