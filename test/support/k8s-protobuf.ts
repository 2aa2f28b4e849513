import { execa } from 'execa';

/**
 * A v1.Namespace as the API server stores it in etcd (storage media type protobuf): `k8s\0`, then a
 * runtime.Unknown { typeMeta = 1 { apiVersion = 1, kind = 2 }, raw = 2 }, raw holding the Namespace
 * { metadata = 1 { name = 1, uid = 5, resourceVersion = 6 }, spec = 2 } — kubernetes/kubernetes
 * staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go, runtime/generated.proto,
 * apis/meta/v1/generated.proto, api/core/v1/generated.proto.
 */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

const field = (number: number, value: Buffer | string): Buffer => {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([varint(number * 8 + 2), varint(bytes.length), bytes]);
};

export function namespaceProtobuf(name: string, uid: string): Buffer {
  const metadata = Buffer.concat([field(1, name), field(5, uid), field(6, '')]);
  const spec = field(1, 'kubernetes'); // NamespaceSpec.finalizers = 1
  const namespace = Buffer.concat([field(1, metadata), field(2, spec)]);
  const typeMeta = Buffer.concat([field(1, 'v1'), field(2, 'Namespace')]);
  const unknown = Buffer.concat([field(1, typeMeta), field(2, namespace), field(4, '')]);
  return Buffer.concat([Buffer.from('k8s\0', 'binary'), unknown]);
}

/** `etcdctl put KEY` reads the value from stdin when none is given, so binary values arrive intact. */
export async function putBinary(
  endpoint: string,
  key: string,
  value: Buffer,
  etcdctl = 'etcdctl',
): Promise<void> {
  await execa(etcdctl, [`--endpoints=${endpoint}`, 'put', '--', key], {
    input: value,
    env: { ETCDCTL_API: '3' },
  });
}

/** A cluster's kube-system namespace in its etcd, as the API server wrote it. */
export function putKubeSystem(endpoint: string, uid: string): Promise<void> {
  return putBinary(endpoint, '/registry/namespaces/kube-system', namespaceProtobuf('kube-system', uid));
}
