import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ActionOutcome } from '../../engine/action-port.js';
import { implement } from '../contract.js';
import { deadline, s3Failure, type S3Deps } from './client.js';
import { downloadContract } from './download-contract.js';

/**
 * Streams the object into a temporary file beside the destination, hashing on the way, and renames
 * it into place only when the size and the `sha256` metadata (when present) match.
 */
export function download(deps: S3Deps) {
  return implement(downloadContract, async ({ bucket, key, file }, context): Promise<ActionOutcome> => {
    const started = Date.now();
    const target = path.resolve(context.workdir, file);
    const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
    const where = `s3://${bucket}/${key}`;
    const fail = async (error: string): Promise<ActionOutcome> => {
      await rm(partial, { force: true });
      return { completed: false, result: {}, error };
    };
    const signal = deadline(context);
    try {
      const got = await deps.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      if (!(got.Body instanceof Readable)) return await fail(`${where} came back without a readable body`);
      await mkdir(path.dirname(target), { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      await pipeline(
        got.Body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(partial),
        { signal },
      );
      const sha256 = hash.digest('hex');
      if (got.ContentLength !== undefined && size !== got.ContentLength)
        return await fail(`${where} was cut short: got ${size} of ${got.ContentLength} bytes`);
      const expected = got.Metadata?.sha256?.toLowerCase();
      if (expected !== undefined && expected !== sha256)
        return await fail(
          `checksum mismatch for ${where}: its sha256 metadata says ${expected} but the data hashes to ${sha256}; ${target} was not written`,
        );
      if (expected === undefined) context.progress(`${where} has no sha256 metadata: checksum not verified`);
      await rename(partial, target);
      return {
        completed: true,
        result: {
          file: target,
          size,
          sha256,
          verified: expected !== undefined,
          durationMs: Date.now() - started,
        },
      };
    } catch (error) {
      return await fail(s3Failure(error, deps.settings, context, bucket, key));
    }
  });
}
