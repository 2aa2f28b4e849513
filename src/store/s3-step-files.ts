import {
  DeleteObjectsCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StepFiles } from '../engine/step-files.js';
import { errorMessage, LifeboatError } from '../errors.js';

/** Which files this workdir holds as they are in the bucket: path → sha256. Kept in the workdir, never uploaded. */
const LOCAL = '.lifeboat-step-files.json';
/** The bucket's own list of an incident's files, written after each save. */
const MANIFEST = '.manifest.json';

type Manifest = Record<string, string>;

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((file) => file !== LOCAL && !file.endsWith('.part'))
    .sort();
}

async function readJson(file: string): Promise<Manifest> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch {
    return {};
  }
}

/** Step files in S3 under `prefix/INCIDENT/`, each with its sha256; the bucket should expire them too (a lifecycle rule). */
export function s3StepFiles(client: S3Client, bucket: string, prefix: string): StepFiles {
  const keyOf = (incidentId: string, file: string) =>
    `${prefix}${incidentId}/${file.split(path.sep).join('/')}`;
  /** One S3 call; its failure becomes a LifeboatError naming the object, with the SDK's error as cause. */
  const send = async <T>(key: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      const code = (error as { name?: string }).name === 'NoSuchKey' ? 's3-not-found' : 's3-unavailable';
      throw new LifeboatError(code, `s3://${bucket}/${key}: ${errorMessage(error)}`, { cause: error });
    }
  };
  const get = (key: string, signal: AbortSignal) =>
    send(key, () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }));
  const remoteManifest = async (incidentId: string, signal: AbortSignal): Promise<Manifest> => {
    const key = keyOf(incidentId, MANIFEST);
    const got = await get(key, signal).catch((error: unknown) => {
      if (error instanceof LifeboatError && error.code === 's3-not-found') return undefined;
      throw error;
    });
    const text = await got?.Body?.transformToString();
    try {
      return JSON.parse(text ?? '{}') as Manifest;
    } catch (error) {
      throw new LifeboatError('internal', `s3://${bucket}/${key} is not a step-file manifest (JSON)`, {
        cause: error,
      });
    }
  };

  return {
    async restore(incidentId, dir, signal) {
      const remote = await remoteManifest(incidentId, signal);
      const local = await readJson(path.join(dir, LOCAL));
      for (const [file, want] of Object.entries(remote)) {
        const target = path.join(dir, file);
        if (local[file] === want && (await stat(target).catch(() => undefined))) continue;
        const got = await get(keyOf(incidentId, file), signal);
        if (!(got.Body instanceof Readable))
          throw new LifeboatError('s3-unavailable', `step file ${file} came back without a body`);
        await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
        const hash = createHash('sha256');
        await pipeline(
          got.Body,
          async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(partial, { mode: 0o600 }),
        );
        const have = hash.digest('hex');
        if (have !== want) {
          await rm(partial, { force: true });
          throw new LifeboatError(
            'internal',
            `step file ${file} in s3://${bucket}/${keyOf(incidentId, file)} is corrupt (sha256 ${have}, saved as ${want}): re-run the step that wrote it`,
          );
        }
        await rename(partial, target);
        local[file] = want;
      }
      await writeFile(path.join(dir, LOCAL), JSON.stringify(local));
    },

    async save(incidentId, dir, signal) {
      const local = await readJson(path.join(dir, LOCAL));
      const remote = await remoteManifest(incidentId, signal);
      let changed = false;
      for (const file of await filesUnder(dir)) {
        const full = path.join(dir, file);
        const sum = await sha256(full);
        if (remote[file] === sum) {
          local[file] = sum;
          continue;
        }
        const size = (await stat(full)).size;
        await send(keyOf(incidentId, file), () =>
          client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: keyOf(incidentId, file),
              Body: createReadStream(full),
              ContentLength: size,
              Metadata: { sha256: sum },
            }),
            { abortSignal: signal },
          ),
        );
        remote[file] = local[file] = sum;
        changed = true;
      }
      if (changed)
        await send(keyOf(incidentId, MANIFEST), () =>
          client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: keyOf(incidentId, MANIFEST),
              Body: JSON.stringify(remote),
            }),
            { abortSignal: signal },
          ),
        );
      await writeFile(path.join(dir, LOCAL), JSON.stringify(local));
    },

    async discard(incidentId) {
      const under = `${prefix}${incidentId}/`;
      await send(under, async () => {
        for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: under })) {
          const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
          if (keys.length > 0)
            await client.send(
              new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
            );
        }
      });
    },
  };
}
