import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ActionOutcome } from '../../engine/action-port.js';
import { implement } from '../contract.js';
import { deadline, plainEtag, s3Failure, type S3Deps } from './client.js';
import { uploadContract } from './upload-contract.js';

/** One PUT carries at most 5 GiB; bigger files would need a multipart upload. */
const MAX_PUT = 5 * 1024 ** 3;

async function* hashing(file: string, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Hashes the file, then streams it up with the hash as `sha256` metadata; the bytes sent are hashed
 * again, and the stored object's size and metadata are read back, so a store that mangles the
 * upload (or a file that changed meanwhile) fails here rather than at restore time.
 */
export function upload(deps: S3Deps) {
  return implement(
    uploadContract,
    async ({ bucket, key, file, metadata }, context): Promise<ActionOutcome> => {
      const started = Date.now();
      const source = path.resolve(context.workdir, file);
      const where = `s3://${bucket}/${key}`;
      const fail = (error: string): ActionOutcome => ({ completed: false, result: {}, error });
      const found = await stat(source).catch(() => undefined);
      if (!found?.isFile()) return fail(`file ${source} does not exist`);
      if (found.size > MAX_PUT) return fail(`${source} is larger than 5 GiB, which needs a multipart upload`);
      const abortSignal = deadline(context);
      try {
        const first = createHash('sha256');
        for await (const _ of hashing(source, first)) abortSignal.throwIfAborted();
        const sha256 = first.digest('hex');
        const sent = createHash('sha256');
        const put = await deps.client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: Readable.from(hashing(source, sent)),
            ContentLength: found.size,
            ContentType: 'application/octet-stream',
            Metadata: { ...metadata, sha256 },
          }),
          { abortSignal },
        );
        if (sent.digest('hex') !== sha256)
          return fail(
            `${source} changed while it was uploaded; ${where} does not match its sha256 metadata: upload again`,
          );
        const stored = await deps.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), {
          abortSignal,
        });
        if (stored.ContentLength !== found.size || stored.Metadata?.sha256 !== sha256)
          return fail(
            `${where} was stored with ${stored.ContentLength ?? '?'} bytes (file: ${found.size}) and sha256 metadata ${stored.Metadata?.sha256 ?? 'missing'}: if this store mishandles the SDK's checksums, set s3.checksums: WHEN_REQUIRED`,
          );
        return {
          completed: true,
          result: {
            key,
            size: found.size,
            sha256,
            etag: plainEtag(put.ETag) ?? '',
            durationMs: Date.now() - started,
          },
        };
      } catch (error) {
        return fail(s3Failure(error, deps.settings, context, bucket, key));
      }
    },
  );
}
