import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { LifeboatConfig, S3Settings } from '../domain/config.js';

/** The sandbox cluster's name: its kubeconfig context, and the `cluster` metadata of its snapshots. */
export const SANDBOX_CLUSTER = 'sandbox';

/** Without etcd installed, the sandbox's etcd endpoint: port 1 on loopback, where nothing listens. */
export const NO_ETCD = 'http://127.0.0.1:1';

/**
 * LIFEBOAT_CONFIG for the demo: `primary` and the drill cluster both are the sandbox (its Kubernetes
 * and Velero emulator, and its etcd when there is one), drills go to `drill`, snapshots live in the embedded S3. No access lists: anyone
 * may respond, and a destructive step needs one approval from someone other than who ran it.
 */
export async function writeSandboxConfig(
  dir: string,
  options: { readonly etcdEndpoint?: string; readonly kubeconfig: string; readonly s3: S3Settings },
): Promise<{ readonly config: string; readonly kubeconfig: string }> {
  // Without a sandbox etcd the endpoint is one where nothing listens, so etcd steps fail saying what
  // is missing (etcdctl not found, or refused) rather than that the config lacks an endpoint.
  const cluster = {
    context: SANDBOX_CLUSTER,
    etcd: { endpoints: [options.etcdEndpoint ?? NO_ETCD] },
    // The sandbox etcd has no API server of its own to stop: nothing listens on port 1, so the fence sees every endpoint refuse.
    apiServers: ['https://127.0.0.1:1'],
  };
  const config: Partial<LifeboatConfig> = {
    // The sandbox's drill cluster is a throwaway etcd on loopback: nothing in it reaches production.
    clusters: { primary: cluster, drill: { ...cluster, isolated: true } },
    drills: { cluster: 'drill', clusters: {}, schedule: [] },
    s3: options.s3,
    // The demo's services (its app, its S3, its etcd) all listen on loopback.
    egress: { allow: ['127.0.0.0/8', '::1/128'] },
  };
  // The demo's own kubeconfig (the sandbox cluster's, over verified TLS): it must never reach a real
  // cluster from the responder's ~/.kube/config.
  const files = { config: path.join(dir, 'lifeboat.yaml'), kubeconfig: path.join(dir, 'kubeconfig') };
  await writeFile(files.config, stringify(config));
  await writeFile(files.kubeconfig, options.kubeconfig, { mode: 0o600 });
  return files;
}
