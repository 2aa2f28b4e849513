import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRegistry } from '../../src/actions/registry.js';
import { s3Client } from '../../src/actions/s3/client.js';
import { s3Actions, type S3Options } from '../../src/actions/s3/index.js';
import type { S3Settings } from '../../src/domain/config.js';
import type { ActionRegistry } from '../../src/engine/action-port.js';
import { runCall } from '../../src/engine/run-call.js';
import { freePort } from '../support/etcd.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../support/s3.js';

let workdir = '';
let s3: LocalS3;

const registryFor = (settings: S3Settings, options: S3Options = { credentials: S3RVER_CREDENTIALS }) =>
  createRegistry(s3Actions(settings, options));

const call = (registry: ActionRegistry, action: string, input: Record<string, unknown>) =>
  runCall(registry, { action, with: input }, () => undefined, {
    incidentId: 'inc-s3',
    workdir,
    signal: new AbortController().signal,
    progress: () => undefined,
    cluster: () => undefined,
  });

beforeAll(async () => {
  workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-s3-actions-'));
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
  await rm(workdir, { recursive: true, force: true });
});

describe('s3 actions', () => {
  it('finds the newest object when the listing takes several pages', async () => {
    const registry = registryFor(s3.settings, { credentials: S3RVER_CREDENTIALS, pageSize: 3 });
    await writeFile(path.join(workdir, 'small'), 'x');
    for (let i = 0; i < 10; i++)
      expect(
        await call(registry, 's3.upload', { bucket: s3.bucket, key: `many/0${i}`, file: 'small' }),
      ).toMatchObject({ passed: true });
    // Listing times have whole-second precision on some stores: make the newest clearly newer.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Sorts into the third page of three (00-02, 03-05, 05-newest…), so only a full walk finds it.
    await call(registry, 's3.upload', {
      bucket: s3.bucket,
      key: 'many/05-newest',
      file: 'small',
      metadata: { cluster: 'prod', generation: 7 },
    });
    const latest = await call(registry, 's3.latest-object', { bucket: s3.bucket, prefix: 'many/' });
    expect(latest).toMatchObject({
      passed: true,
      result: { key: 'many/05-newest', size: 1, metadata: { cluster: 'prod', generation: '7' } },
    });
    expect(latest.result.ageSeconds).toBeLessThan(60);
    expect(Date.parse(String(latest.result.time))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('says when no object matches the prefix', async () => {
    const outcome = await call(registryFor(s3.settings), 's3.latest-object', {
      bucket: s3.bucket,
      prefix: 'nothing/',
    });
    expect(outcome).toMatchObject({ passed: false, error: `no objects under s3://${s3.bucket}/nothing/` });
  });

  it('answers exists: false for a missing key, and names a missing bucket', async () => {
    const registry = registryFor(s3.settings);
    expect(await call(registry, 's3.head', { bucket: s3.bucket, key: 'absent.db' })).toMatchObject({
      passed: true,
      result: { exists: false },
    });
    expect(await call(registry, 's3.head', { bucket: 'no-such-bucket', key: 'absent.db' })).toMatchObject({
      passed: false,
      error: 'bucket no-such-bucket does not exist',
    });
    expect(await call(registry, 's3.latest-object', { bucket: 'no-such-bucket' })).toMatchObject({
      passed: false,
      error: 'bucket no-such-bucket does not exist',
    });
  });

  it('refuses a download whose sha256 metadata does not match, and leaves no file behind', async () => {
    const client = s3Client(s3.settings, S3RVER_CREDENTIALS);
    const wrong = createHash('sha256').update('something else').digest('hex');
    const right = createHash('sha256').update('tampered').digest('hex');
    await client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: 'tampered.db',
        Body: 'tampered',
        Metadata: { sha256: wrong },
      }),
    );
    client.destroy();
    const target = path.join(workdir, 'refused', 'snapshot.db');
    const outcome = await call(registryFor(s3.settings), 's3.download', {
      bucket: s3.bucket,
      key: 'tampered.db',
      file: target,
    });
    expect(outcome).toMatchObject({
      passed: false,
      error: `checksum mismatch for s3://${s3.bucket}/tampered.db: its sha256 metadata says ${wrong} but the data hashes to ${right}; ${target} was not written`,
    });
    expect(await readdir(path.dirname(target))).toEqual([]);
  });

  it('turns S3 failures into messages a responder can act on', async () => {
    const wrongKeys = registryFor(s3.settings, {
      credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' },
    });
    expect(await call(wrongKeys, 's3.head', { bucket: s3.bucket, key: 'x.db' })).toMatchObject({
      passed: false,
      error: `access denied to s3://${s3.bucket}/x.db: check the credentials`,
    });
    const nowhere = { ...s3.settings, endpoint: `http://127.0.0.1:${await freePort()}` };
    expect(
      await call(registryFor(nowhere), 's3.download', { bucket: s3.bucket, key: 'x.db', file: 'x.db' }),
    ).toMatchObject({
      passed: false,
      error: `cannot reach S3 at ${nowhere.endpoint}`,
    });
    expect(
      await call(registryFor(s3.settings), 's3.upload', {
        bucket: s3.bucket,
        key: 'x.db',
        file: 'missing.db',
      }),
    ).toMatchObject({
      passed: false,
      error: `file ${path.join(workdir, 'missing.db')} does not exist`,
    });
  });
});
