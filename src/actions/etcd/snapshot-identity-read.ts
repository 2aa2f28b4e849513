import { errorMessage } from '../../errors.js';
import { BoltUnreadable, readBolt } from './bbolt.js';

/**
 * The cluster identity (the kube-system namespace's UID) read from an etcd snapshot file itself, so
 * that any producer's snapshot (plain `etcdctl snapshot save`) can be told apart from another
 * cluster's. The layers, each from its source:
 * - bbolt's file layout, read by ./bbolt.ts.
 * - etcd's MVCC store (etcd-io/etcd server/storage/mvcc/revision.go, kvstore.go; 3.4 mvcc/): bucket
 *   `key` maps a revision (8-byte big-endian main, `_`, 8-byte sub; a tombstone adds `t`) to an
 *   mvccpb.KeyValue (api/mvccpb/kv.proto: key = 1, create_revision = 2, mod_revision = 3,
 *   version = 4, value = 5, lease = 6). Keys sort by revision, so a key's last entry is its state.
 * - The API server's storage (kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/runtime/
 *   serializer/protobuf/protobuf.go): the value is `k8s\0` then a runtime.Unknown (runtime/generated.proto:
 *   typeMeta = 1, raw = 2) whose raw is the v1.Namespace (metadata = 1); in ObjectMeta
 *   (apis/meta/v1/generated.proto) name = 1, uid = 5. A JSON-stored object is read as JSON.
 */

export const KUBE_SYSTEM_KEY = '/registry/namespaces/kube-system';

const PROTOBUF_PREFIX = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export type SnapshotIdentity =
  { readonly uid: string; readonly revision: number } | { readonly error: string };

/** A minimal protobuf reader: the length-delimited fields of one message, by field number. */
export function protoFields(message: Buffer): Map<number, Buffer[]> {
  const fields = new Map<number, Buffer[]>();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= message.length) throw new Error('truncated varint');
      const byte = message[at++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  };
  while (at < message.length) {
    const tag = varint();
    const wire = tag & 7;
    const field = Math.floor(tag / 8);
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (at + length > message.length) throw new Error('truncated field');
      fields.set(field, [...(fields.get(field) ?? []), message.subarray(at, at + length)]);
      at += length;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return fields;
}

const first = (fields: Map<number, Buffer[]>, field: number): Buffer | undefined => fields.get(field)?.[0];

/** The namespace object's metadata.uid, from the API server's protobuf (or JSON) encoding. */
export function namespaceUid(value: Buffer): string | undefined {
  if (value.subarray(0, 4).equals(PROTOBUF_PREFIX)) {
    const raw = first(protoFields(value.subarray(4)), 2);
    const metadata = raw && first(protoFields(raw), 1);
    return (metadata && first(protoFields(metadata), 5)?.toString('utf8')) || undefined;
  }
  try {
    const object = JSON.parse(value.toString('utf8')) as { metadata?: { uid?: unknown } };
    return typeof object.metadata?.uid === 'string' && object.metadata.uid ? object.metadata.uid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an mvccpb.KeyValue's key (field 1, written first) is `wanted`, without decoding the rest. */
function isKey(kv: Buffer, wanted: Buffer): boolean {
  return kv[0] === 0x0a && kv[1] === wanted.length && kv.subarray(2, 2 + wanted.length).equals(wanted);
}

/** The newest state of the kube-system namespace in the snapshot, or why it cannot be read. */
export async function snapshotIdentity(file: string): Promise<SnapshotIdentity> {
  try {
    return await readBolt(file, async (db) => {
      const keys = await db.bucket('key');
      if (!keys) return { error: `${file} holds no etcd key space (bucket "key")` };
      const wanted = Buffer.from(KUBE_SYSTEM_KEY);
      let newest: { revision: Buffer; kv: Buffer } | undefined;
      await keys.forEach((e) => {
        if (!e.bucket && isKey(e.value, wanted))
          newest = { revision: Buffer.from(e.key), kv: Buffer.from(e.value) };
      });
      if (!newest) return { error: `the snapshot holds no ${KUBE_SYSTEM_KEY}: not a Kubernetes etcd` };
      const revision = Number(newest.revision.readBigUInt64BE(0));
      if (newest.revision.length > 17 && newest.revision[17] === 0x74)
        return { error: `${KUBE_SYSTEM_KEY} was deleted at revision ${revision} in this snapshot` };
      const value = first(protoFields(newest.kv), 5);
      const uid = value && namespaceUid(value);
      return uid ? { uid, revision } : { error: `${KUBE_SYSTEM_KEY} in the snapshot has no metadata.uid` };
    });
  } catch (error) {
    if (error instanceof BoltUnreadable)
      return {
        error:
          error.problem === 'cannot open'
            ? `snapshot file ${file} cannot be opened`
            : `${file} is not an etcd snapshot (no bbolt header)`,
      };
    return { error: `${file} cannot be read as an etcd snapshot: ${errorMessage(error)}` };
  }
}
