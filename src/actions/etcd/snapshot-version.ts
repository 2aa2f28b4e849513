import { open } from 'node:fs/promises';

/**
 * The etcd version a snapshot was written by, read from the snapshot itself: etcd keeps the
 * cluster version in its bbolt backend, bucket `cluster`, key `clusterVersion` ("3.4.0", "3.5.0"),
 * and `snapshot status` of etcd 3.4 and 3.5 does not report it. The reader follows bbolt's file
 * layout (etcd-io/bbolt page.go, db.go): two meta pages, then B+tree pages of buckets.
 */

const MAGIC = 0xed0cdaed;
const PAGE_HEADER = 16;
const ELEMENT = 16;
const BRANCH = 0x01;
const LEAF = 0x02;
const BUCKET_LEAF = 0x01;
const BUCKET_HEADER = 16;
const MAX_DEPTH = 32;

type Reader = (offset: number, length: number) => Promise<Buffer>;

/** A page as bytes, with its overflow pages; `inline` is a bucket small enough to live in its parent's value. */
type Page = { readonly bytes: Buffer; readonly start: number };

async function readPage(read: Reader, pageSize: number, id: bigint): Promise<Page> {
  const offset = Number(id) * pageSize;
  const head = await read(offset, PAGE_HEADER);
  const overflow = head.readUInt32LE(12);
  return { bytes: await read(offset, (overflow + 1) * pageSize), start: 0 };
}

/** The value under `key` in the tree rooted at `page`: a bucket header for a bucket, else the value. */
async function find(
  read: Reader,
  pageSize: number,
  page: Page,
  key: string,
  depth = 0,
): Promise<{ value: Buffer; bucket: boolean } | undefined> {
  if (depth > MAX_DEPTH) return undefined;
  const { bytes, start } = page;
  const flags = bytes.readUInt16LE(start + 8);
  const count = bytes.readUInt16LE(start + 10);
  const wanted = Buffer.from(key);
  if (flags & BRANCH) {
    // Branch elements: pos, ksize (u32), pgid (u64); a key is the smallest key of its child.
    let child: bigint | undefined;
    for (let i = 0; i < count; i++) {
      const at = start + PAGE_HEADER + i * ELEMENT;
      const pos = bytes.readUInt32LE(at);
      const ksize = bytes.readUInt32LE(at + 4);
      const elementKey = bytes.subarray(at + pos, at + pos + ksize);
      if (i > 0 && Buffer.compare(elementKey, wanted) > 0) break;
      child = bytes.readBigUInt64LE(at + 8);
    }
    if (child === undefined) return undefined;
    return find(read, pageSize, await readPage(read, pageSize, child), key, depth + 1);
  }
  if (!(flags & LEAF)) return undefined;
  // Leaf elements: flags, pos, ksize, vsize (u32 each); key then value at element + pos.
  for (let i = 0; i < count; i++) {
    const at = start + PAGE_HEADER + i * ELEMENT;
    const pos = bytes.readUInt32LE(at + 4);
    const ksize = bytes.readUInt32LE(at + 8);
    const vsize = bytes.readUInt32LE(at + 12);
    const elementKey = bytes.subarray(at + pos, at + pos + ksize);
    if (!elementKey.equals(wanted)) continue;
    const value = bytes.subarray(at + pos + ksize, at + pos + ksize + vsize);
    return { value, bucket: (bytes.readUInt32LE(at) & BUCKET_LEAF) !== 0 };
  }
  return undefined;
}

/** A bucket's root page: its own page, or the inline page after the header when the root id is 0. */
async function bucketRoot(read: Reader, pageSize: number, header: Buffer): Promise<Page> {
  const root = header.readBigUInt64LE(0);
  if (root === 0n) return { bytes: header, start: BUCKET_HEADER };
  return readPage(read, pageSize, root);
}

/** The snapshot's stored cluster version ("3.5.0"), or undefined when the file holds none or is not bbolt. */
export async function snapshotClusterVersion(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const read: Reader = async (offset, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead < length) throw new Error('short read');
      return buffer;
    };
    // Meta (after the page header): magic, version, pageSize, flags (u32), root bucket (root, sequence),
    // freelist, pgid, txid, checksum (u64). Page 0 is read at offset 0; page 1 sits one page size on.
    const first = await read(0, 4096);
    const pageSize = first.readUInt32LE(PAGE_HEADER + 8);
    if (first.readUInt32LE(PAGE_HEADER) !== MAGIC || pageSize < 512 || pageSize > 1 << 20) return undefined;
    const second = await read(pageSize, 4096).catch(() => undefined);
    const metas = [first, second].filter(
      (meta): meta is Buffer => meta !== undefined && meta.readUInt32LE(PAGE_HEADER) === MAGIC,
    );
    const txid = (meta: Buffer) => meta.readBigUInt64LE(PAGE_HEADER + 48);
    const meta = metas.reduce((a, b) => (txid(b) > txid(a) ? b : a));
    const root = await readPage(read, pageSize, meta.readBigUInt64LE(PAGE_HEADER + 16));
    const cluster = await find(read, pageSize, root, 'cluster');
    if (!cluster?.bucket) return undefined;
    const version = await find(
      read,
      pageSize,
      await bucketRoot(read, pageSize, cluster.value),
      'clusterVersion',
    );
    const text = version && !version.bucket ? version.value.toString('utf8') : '';
    return /^\d+\.\d+\.\d+$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
