import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { S3Settings } from '../domain/config.js';
import type { ActionContext } from '../engine/action-port.js';
import { etcdActions } from '../actions/etcd/index.js';
import { s3Actions } from '../actions/s3/index.js';
import { createRegistry } from '../actions/registry.js';

/** The part of s3rver 3.7 the sandbox uses; it ships no types. */
type S3rverServer = { run(): Promise<AddressInfo>; close(): Promise<void> };
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverServer;

/** s3rver's fixed credentials; it checks signatures like AWS does. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const BUCKET = 'lifeboat-snapshots';
export const PREFIX = 'sandbox/';

export type SandboxS3 = { readonly settings: S3Settings; stop(): Promise<void> };

/**
 * s3rver in this process, objects kept in `directory`. It is a devDependency, loaded only here and
 * only when the demo starts, so a production install never needs it.
 */
export async function startSandboxS3(directory: string, bucket = BUCKET): Promise<SandboxS3> {
  let S3rver: S3rverClass;
  try {
    S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  } catch {
    throw new Error(
      'the demo needs s3rver, a devDependency: run `npm ci` in the Lifeboat checkout (not --omit=dev)',
    );
  }
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    // s3rver mishandles the SDK's default checksums, hence WHEN_REQUIRED (as in every S3-compatible test here).
    settings: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      checksums: 'WHEN_REQUIRED',
    },
    stop: () => server.close(),
  };
}

/**
 * Takes snapshots of the sandbox etcd and uploads them with `cluster` and `sha256` metadata, through
 * Lifeboat's own etcd.snapshot-save and s3.upload actions: what a backup job of a real cluster does.
 * Returns the function that takes one and answers its key.
 */
export function sandboxBackup(options: {
  readonly s3: S3Settings;
  readonly etcdEndpoint: string;
  readonly cluster: string;
  readonly workdir: string;
}): () => Promise<string> {
  // Through a registry, so the inputs are checked as a runbook's would be.
  const actions = createRegistry({
    ...etcdActions(),
    ...s3Actions(options.s3, { credentials: S3RVER_CREDENTIALS }),
  });
  const context: ActionContext = {
    incidentId: 'sandbox-backup',
    workdir: options.workdir,
    signal: new AbortController().signal,
    timeoutMs: 60_000,
    progress: () => undefined,
    cluster: () => undefined,
  };
  return async () => {
    const file = `etcd-${new Date().toISOString().replace(/[:.]/g, '-')}.db`;
    const saved = await actions.run(
      'etcd.snapshot-save',
      { endpoints: [options.etcdEndpoint], file },
      context,
    );
    if (!saved.completed) throw new Error(`sandbox snapshot failed: ${saved.error ?? 'no etcd action'}`);
    const key = `${PREFIX}${file}`;
    const uploaded = await actions.run(
      's3.upload',
      { bucket: BUCKET, key, file, metadata: { cluster: options.cluster } },
      context,
    );
    if (!uploaded.completed) throw new Error(`sandbox upload failed: ${uploaded.error ?? 'no s3 action'}`);
    return key;
  };
}
