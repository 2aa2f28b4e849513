import { HeadObjectCommand, paginateListObjectsV2, type _Object } from '@aws-sdk/client-s3';
import { implement } from '../contract.js';
import { deadline, plainEtag, s3Failure, type S3Deps } from './client.js';
import { latestObjectContract } from './latest-object-contract.js';

/** Newer wins; on the same second (listings are second-precise on some stores) the later key wins. */
function newer(a: _Object, b: _Object | undefined): boolean {
  if (!b) return true;
  const at = a.LastModified?.getTime() ?? 0;
  const bt = b.LastModified?.getTime() ?? 0;
  return at !== bt ? at > bt : (a.Key ?? '') > (b.Key ?? '');
}

/** Walks every listing page under the prefix, then reads the newest object's metadata. */
export function latestObject(deps: S3Deps) {
  return implement(latestObjectContract, async ({ bucket, prefix }, context) => {
    const signal = deadline(context);
    const where = `s3://${bucket}/${prefix ?? ''}`;
    try {
      let newest: _Object | undefined;
      const pages = paginateListObjectsV2(
        { client: deps.client, ...(deps.pageSize ? { pageSize: deps.pageSize } : {}) },
        { Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}) },
      );
      for await (const page of pages) {
        signal.throwIfAborted();
        for (const object of page.Contents ?? []) if (newer(object, newest)) newest = object;
      }
      if (!newest?.Key) return { completed: false, result: {}, error: `no objects under ${where}` };
      const head = await deps.client.send(new HeadObjectCommand({ Bucket: bucket, Key: newest.Key }), {
        abortSignal: signal,
      });
      const modified = head.LastModified ?? newest.LastModified ?? new Date(0);
      return {
        completed: true,
        result: {
          key: newest.Key,
          time: modified.toISOString(),
          ageSeconds: Math.max(0, Math.round((Date.now() - modified.getTime()) / 1000)),
          size: head.ContentLength ?? newest.Size ?? 0,
          etag: plainEtag(head.ETag ?? newest.ETag) ?? '',
          metadata: head.Metadata ?? {},
        },
      };
    } catch (error) {
      return {
        completed: false,
        result: {},
        error: s3Failure(error, deps.settings, context, bucket, prefix),
      };
    }
  });
}
