/**
 * The bbolt reader against snapshots of real etcd 3.4 and 3.5 (`etcdctl snapshot save`): a bucket
 * spanning many pages is read whole and in order and a key in it is found through its branch pages,
 * a small (inline) bucket is read, and a file cut short, a file that is not bbolt and a missing file
 * each fail saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BoltUnreadable, readBolt } from '../../src/actions/etcd/bbolt.js';
import { protoFields, snapshotIdentity } from '../../src/actions/etcd/snapshot-identity-read.js';
import { etcd35Bin, pathWith, putKeys, startEtcd } from '../support/etcd.js';

/** 3000 KeyValues of ~70 bytes fill far more than one 4 KiB page, so bucket "key" has branch pages. */
const PODS = 3000;
const PREFIX = '/registry/pods/shop/pod-';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-bbolt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** etcd's revision key in bucket "key": 8-byte big-endian main, `_`, 8-byte big-endian sub (mvcc/revision.go). */
function revisionKey(main: number, sub: number): Buffer {
  const key = Buffer.alloc(17);
  key.writeBigUInt64BE(BigInt(main), 0);
  key.write('_', 8);
  key.writeBigUInt64BE(BigInt(sub), 9);
  return key;
}

/** The key an mvccpb.KeyValue stores (field 1). */
const kvKey = (kv: Buffer): string => protoFields(kv).get(1)?.[0]?.toString('utf8') ?? '';

describe.each([
  ['3.4', undefined],
  ['3.5', 'etcd35'],
] as const)('etcd %s snapshots', (version, bin) => {
  let restorePath: () => void = () => undefined;
  let file = '';
  let middle = { key: '', main: 0 };
  beforeAll(async () => {
    restorePath = pathWith(bin ? etcd35Bin() : undefined);
    const etcd = await startEtcd();
    try {
      await putKeys(etcd.endpoint, PREFIX, PODS);
      const { stdout } = await execa(
        'etcdctl',
        [`--endpoints=${etcd.endpoint}`, 'get', `${PREFIX}1500`, '-w', 'json'],
        {
          env: { ETCDCTL_API: '3' },
        },
      );
      const got = JSON.parse(stdout) as { kvs: Array<{ mod_revision: number }> };
      middle = { key: `${PREFIX}1500`, main: got.kvs[0]?.mod_revision ?? 0 };
      file = path.join(dir, `many-${version}.db`);
      await execa('etcdctl', [`--endpoints=${etcd.endpoint}`, 'snapshot', 'save', file], {
        env: { ETCDCTL_API: '3' },
      });
    } finally {
      await etcd.cleanUp();
    }
  }, 60_000);
  afterAll(() => restorePath());

  it('a bucket over many pages is read whole, in key order, and a key in it is found', async () => {
    const read = await readBolt(file, async (db) => {
      const keys = await db.bucket('key');
      const seen: Buffer[] = [];
      await keys?.forEach((element) => seen.push(Buffer.from(element.key)));
      const stored = new Set<string>();
      await keys?.forEach((element) => stored.add(kvKey(element.value)));
      // putKeys writes 1000 puts per transaction: pod-1500 is the 500th change (sub 500) of the second.
      const found = await keys?.get(revisionKey(middle.main, 500));
      return { seen, stored, found };
    });
    expect(read.seen.length).toBeGreaterThanOrEqual(PODS);
    expect(read.seen.every((key, i) => i === 0 || Buffer.compare(read.seen[i - 1] as Buffer, key) < 0)).toBe(
      true,
    );
    const missing = Array.from({ length: PODS }, (_, i) => `${PREFIX}${i}`).filter(
      (k) => !read.stored.has(k),
    );
    expect(missing).toEqual([]);
    expect(read.found && kvKey(read.found.value)).toBe(middle.key);
  });

  it("a small inline bucket is read: the cluster's stored version", async () => {
    const stored = await readBolt(file, async (db) => (await db.bucket('cluster'))?.get('clusterVersion'));
    expect(stored?.bucket).toBe(false);
    expect(stored?.value.toString('utf8')).toBe(`${version}.0`);
  });

  it('an absent bucket or key is undefined, not an error', async () => {
    const absent = await readBolt(file, async (db) => ({
      bucket: await db.bucket('no-such-bucket'),
      nested: await db.bucket('key', 'nested'),
      key: await (await db.bucket('key'))?.get(revisionKey(middle.main, 999_999)),
    }));
    expect(absent).toEqual({ bucket: undefined, nested: undefined, key: undefined });
  });

  it('a snapshot cut short fails as truncated, and the identity check names the file and what to do', async () => {
    const whole = await readFile(file);
    const cut = path.join(dir, `cut-${version}.db`);
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(
      readBolt(cut, async (db) => (await db.bucket('key'))?.forEach(() => undefined)),
    ).rejects.toThrow(/truncated: copy or download it again/);
    const identity = await snapshotIdentity(cut);
    expect(identity).toEqual({ error: expect.stringContaining(`${cut} cannot be read as an etcd snapshot`) });
    expect(identity).toEqual({ error: expect.stringContaining('truncated: copy or download it again') });
  });
});

describe('files that are not bbolt', () => {
  it('random bytes are not bbolt, and a missing file cannot be opened', async () => {
    const noise = path.join(dir, 'noise.db');
    await writeFile(noise, randomBytes(8192));
    const notBolt = await readBolt(noise, () => Promise.resolve('read')).catch((error: unknown) => error);
    expect(notBolt).toBeInstanceOf(BoltUnreadable);
    expect(notBolt).toMatchObject({ problem: 'not bbolt', message: `${noise} is not a bbolt database` });
    const missing = path.join(dir, 'missing.db');
    const unopened = await readBolt(missing, () => Promise.resolve('read')).catch((error: unknown) => error);
    expect(unopened).toMatchObject({ problem: 'cannot open', message: `${missing} cannot be opened` });
  });
});
