import { open, type FileHandle } from 'node:fs/promises';

/**
 * A read-only reader of a bbolt database file, which is what an etcd snapshot (and an etcd data
 * dir's member/snap/db) is, so the snapshot can be read without any etcd tool. Layout from
 * etcd-io/bbolt internal/common/{page,meta,bucket,types}.go, cursor.go (search) and db.go (meta):
 * - every page starts with a 16-byte header: id (u64), flags (u16: 0x01 branch, 0x02 leaf, 0x04 meta),
 *   count (u16), overflow (u32, how many more pages this one spans);
 * - pages 0 and 1 are meta pages: magic 0xED0CDAED, version, pageSize, flags (u32), the root bucket
 *   (root page id, sequence: u64), freelist, pgid, txid, checksum (u64); the higher txid is current;
 * - a branch page holds `count` elements of pos, ksize (u32), child page id (u64), each key being the
 *   smallest key under its child; a leaf page holds elements of flags (0x01: a bucket), pos, ksize,
 *   vsize (u32), the key and value found `pos` bytes after the element itself;
 * - a bucket's value is its header (root page id, sequence: u64) and, when the root id is 0, the
 *   bucket's only (leaf) page inline right after that header.
 * Little-endian throughout, as bbolt writes its structs in the machine's byte order (amd64, arm64).
 */

const MAGIC = 0xed0cdaed;
const PAGE_HEADER = 16;
const ELEMENT = 16;
const BRANCH = 0x01;
const LEAF = 0x02;
const BUCKET_LEAF = 0x01;
const BUCKET_HEADER = 16;
/** A meta page's fields after the page header: magic, pageSize, root bucket's page id, txid. */
const META = { magic: 0, pageSize: 8, root: 16, txid: 48 } as const;
/** Far deeper than a B+tree of any real etcd (fan-out in the hundreds): a loop in a damaged file. */
const MAX_DEPTH = 32;
/** Enough bytes of a meta page for every field read (bbolt's smallest page is 512 bytes). */
const META_READ = 4096;

/** `length` bytes of the file at `offset`; rejects when the file ends before them. */
type Reader = (offset: number, length: number) => Promise<Buffer>;

/** A B+tree page in memory; `start` is where its header sits in `bytes` (past a bucket header when inline). */
type Page = { readonly bytes: Buffer; readonly start: number };

/** One key of a leaf page; `bucket` marks a nested bucket, whose value is its header. */
export type BoltElement = { readonly key: Buffer; readonly value: Buffer; readonly bucket: boolean };

export type BoltBucket = {
  /** The element stored under `key`, or undefined when the bucket has none. */
  get(key: Buffer | string): Promise<BoltElement | undefined>;
  /** Every element of the bucket in key order, descending branch pages left to right. */
  forEach(visit: (element: BoltElement) => void): Promise<void>;
};

export type BoltDb = {
  /** The bucket at `path` (one name per nesting level), or undefined when it is absent. */
  bucket(...path: string[]): Promise<BoltBucket | undefined>;
};

/** Why a file cannot be read as bbolt at all: it does not open, or it has no bbolt meta page. */
export class BoltUnreadable extends Error {
  constructor(
    readonly file: string,
    readonly problem: 'cannot open' | 'not bbolt',
    options?: ErrorOptions,
  ) {
    super(
      problem === 'cannot open' ? `${file} cannot be opened` : `${file} is not a bbolt database`,
      options,
    );
    this.name = 'BoltUnreadable';
  }
}

function fileReader(handle: FileHandle): Reader {
  return async (offset, length) => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    if (bytesRead < length)
      throw new Error(
        `the file ends inside the page at byte ${offset} (truncated: copy or download it again)`,
      );
    return buffer;
  };
}

async function readPage(read: Reader, pageSize: number, id: bigint): Promise<Page> {
  const offset = Number(id) * pageSize;
  const head = await read(offset, PAGE_HEADER);
  const overflow = head.readUInt32LE(12);
  return { bytes: await read(offset, (overflow + 1) * pageSize), start: 0 };
}

function leafElement(page: Page, index: number): BoltElement {
  const { bytes, start } = page;
  const at = start + PAGE_HEADER + index * ELEMENT;
  const pos = bytes.readUInt32LE(at + 4);
  const ksize = bytes.readUInt32LE(at + 8);
  const vsize = bytes.readUInt32LE(at + 12);
  return {
    key: bytes.subarray(at + pos, at + pos + ksize),
    value: bytes.subarray(at + pos + ksize, at + pos + ksize + vsize),
    bucket: (bytes.readUInt32LE(at) & BUCKET_LEAF) !== 0,
  };
}

const branchChild = (page: Page, index: number): bigint =>
  page.bytes.readBigUInt64LE(page.start + PAGE_HEADER + index * ELEMENT + 8);

function branchKey(page: Page, index: number): Buffer {
  const at = page.start + PAGE_HEADER + index * ELEMENT;
  const pos = page.bytes.readUInt32LE(at);
  return page.bytes.subarray(at + pos, at + pos + page.bytes.readUInt32LE(at + 4));
}

const header = (page: Page) => ({
  flags: page.bytes.readUInt16LE(page.start + 8),
  count: page.bytes.readUInt16LE(page.start + 10),
});

function tooDeep(depth: number): void {
  if (depth > MAX_DEPTH) throw new Error(`bbolt tree deeper than ${MAX_DEPTH} pages (a loop: damaged file)`);
}

function treeOf(read: Reader, pageSize: number, root: Page): BoltBucket {
  const get = async (page: Page, wanted: Buffer, depth: number): Promise<BoltElement | undefined> => {
    tooDeep(depth);
    const { flags, count } = header(page);
    if (flags & BRANCH) {
      // The last child whose smallest key is not above the one wanted (bbolt cursor.go searchPage).
      let child: bigint | undefined;
      for (let i = 0; i < count; i++) {
        if (i > 0 && Buffer.compare(branchKey(page, i), wanted) > 0) break;
        child = branchChild(page, i);
      }
      if (child === undefined) return undefined;
      return get(await readPage(read, pageSize, child), wanted, depth + 1);
    }
    if (!(flags & LEAF)) return undefined;
    for (let i = 0; i < count; i++) {
      const element = leafElement(page, i);
      if (element.key.equals(wanted)) return element;
    }
    return undefined;
  };
  const walk = async (page: Page, visit: (element: BoltElement) => void, depth: number): Promise<void> => {
    tooDeep(depth);
    const { flags, count } = header(page);
    for (let i = 0; i < count; i++) {
      if (flags & BRANCH) await walk(await readPage(read, pageSize, branchChild(page, i)), visit, depth + 1);
      else if (flags & LEAF) visit(leafElement(page, i));
    }
  };
  return {
    get: (key) => get(root, typeof key === 'string' ? Buffer.from(key) : key, 0),
    forEach: (visit) => walk(root, visit, 0),
  };
}

/** A nested bucket's root page: its own page, or the inline page after its header when the root id is 0. */
function bucketRoot(read: Reader, pageSize: number, value: Buffer): Promise<Page> {
  const root = value.readBigUInt64LE(0);
  if (root === 0n) return Promise.resolve({ bytes: value, start: BUCKET_HEADER });
  return readPage(read, pageSize, root);
}

async function openDb(file: string, read: Reader): Promise<BoltDb> {
  const first = await read(0, META_READ);
  const pageSize = first.readUInt32LE(PAGE_HEADER + META.pageSize);
  const isMeta = (page: Buffer | undefined): page is Buffer =>
    page !== undefined && page.readUInt32LE(PAGE_HEADER + META.magic) === MAGIC;
  if (!isMeta(first) || pageSize < 512 || pageSize > 1 << 20) throw new BoltUnreadable(file, 'not bbolt');
  const second = await read(pageSize, META_READ).catch(() => undefined);
  const txid = (meta: Buffer) => meta.readBigUInt64LE(PAGE_HEADER + META.txid);
  const meta = [first, second].filter(isMeta).reduce((a, b) => (txid(b) > txid(a) ? b : a));
  const top = treeOf(
    read,
    pageSize,
    await readPage(read, pageSize, meta.readBigUInt64LE(PAGE_HEADER + META.root)),
  );
  return {
    bucket: async (...path) => {
      let tree = top;
      for (const name of path) {
        const found = await tree.get(name);
        if (!found?.bucket) return undefined;
        tree = treeOf(read, pageSize, await bucketRoot(read, pageSize, found.value));
      }
      return tree;
    },
  };
}

/**
 * Runs `use` on the bbolt database in `file`, closing the file after. Rejects with BoltUnreadable
 * when the file does not open or is not bbolt; a file cut short rejects as truncated when a page
 * past its end is read.
 */
export async function readBolt<T>(file: string, use: (db: BoltDb) => Promise<T>): Promise<T> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw new BoltUnreadable(file, 'cannot open', { cause: error });
  });
  try {
    return await use(await openDb(file, fileReader(handle)));
  } finally {
    await handle.close();
  }
}
