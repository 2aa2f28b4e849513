import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { S3Settings } from '../../src/domain/config.js';
import { startSandboxS3 } from '../../src/sandbox/s3.js';

export { S3RVER_CREDENTIALS } from '../../src/sandbox/s3.js';

export type LocalS3 = { readonly settings: S3Settings; readonly bucket: string; stop(): Promise<void> };

/** The sandbox's s3rver on a free loopback port, with one bucket, in a temporary folder removed on stop. */
export async function startS3(bucket = 'lifeboat-snapshots'): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-s3-'));
  const s3 = await startSandboxS3(directory, bucket);
  return {
    settings: s3.settings,
    bucket,
    stop: async () => {
      await s3.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
