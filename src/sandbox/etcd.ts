import { execa, type ResultPromise } from 'execa';
import { onPath } from '../actions/on-path.js';
import { freePort } from './ports.js';

/** A single-member etcd on loopback, holding a few keys shaped like a Kubernetes cluster's. */
export type SandboxEtcd = {
  readonly endpoint: string;
  readonly peerUrl: string;
  readonly version: string;
  readonly keys: number;
  stop(): Promise<void>;
};

/** What a small cluster keeps in etcd; enough for `snapshot status` and key counts to mean something. */
const REGISTRY: Readonly<Record<string, string>> = {
  '/registry/namespaces/default': '{"kind":"Namespace","metadata":{"name":"default"}}',
  '/registry/namespaces/kube-system': '{"kind":"Namespace","metadata":{"name":"kube-system"}}',
  '/registry/namespaces/payments': '{"kind":"Namespace","metadata":{"name":"payments"}}',
  '/registry/deployments/payments/api': '{"kind":"Deployment","metadata":{"name":"api"}}',
  '/registry/deployments/payments/worker': '{"kind":"Deployment","metadata":{"name":"worker"}}',
  '/registry/services/specs/payments/api': '{"kind":"Service","metadata":{"name":"api"}}',
  '/registry/configmaps/payments/settings': '{"kind":"ConfigMap","metadata":{"name":"settings"}}',
  '/registry/secrets/payments/db': '{"kind":"Secret","metadata":{"name":"db"}}',
  '/registry/minions/node-1': '{"kind":"Node","metadata":{"name":"node-1"}}',
  '/registry/minions/node-2': '{"kind":"Node","metadata":{"name":"node-2"}}',
};

/** Both are needed: etcd to run the sandbox, etcdctl for the runbook's steps. */
export async function etcdInstalled(searchPath = process.env.PATH ?? ''): Promise<boolean> {
  return (await onPath('etcd', searchPath)) && (await onPath('etcdctl', searchPath));
}

/** etcd's own /health says true: the member serves reads and has a leader. */
export async function etcdHealthy(endpoint: string): Promise<boolean> {
  try {
    const answer = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    return answer.ok && ((await answer.json()) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

async function stopChild(child: ResultPromise): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  child.kill('SIGTERM');
  await child;
  clearTimeout(killer);
}

/** One etcd member on loopback ports. */
export type EtcdMember = {
  readonly name: string;
  readonly endpoint: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  /** SIGTERM, then SIGKILL after 5 s; leaves the data dir. */
  stop(): Promise<void>;
};

/**
 * Starts etcd and waits for /health. With an existing data dir (after a restore) etcd takes its
 * membership from the data and `initialCluster` only has to name the member consistently.
 */
export async function startEtcdMember(options: {
  readonly dataDir: string;
  readonly name: string;
  readonly peerUrl?: string;
  readonly initialCluster?: string;
  readonly extraArgs?: readonly string[];
}): Promise<EtcdMember> {
  const peerUrl = options.peerUrl ?? `http://127.0.0.1:${await freePort()}`;
  const endpoint = `http://127.0.0.1:${await freePort()}`;
  const child = execa(
    'etcd',
    [
      `--name=${options.name}`,
      `--data-dir=${options.dataDir}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=${options.initialCluster ?? `${options.name}=${peerUrl}`}`,
      '--log-level=error',
      ...(options.extraArgs ?? []),
    ],
    { reject: false, stdin: 'ignore', all: true },
  );
  const stop = () => stopChild(child);
  const deadline = Date.now() + 15_000;
  while (!(await etcdHealthy(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const output = String((await child).all ?? '').slice(-2000);
      throw new Error(`etcd did not become healthy at ${endpoint}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { name: options.name, endpoint, peerUrl, dataDir: options.dataDir, stop };
}

/** Starts the sandbox member with its data in `dataDir` and writes the registry keys. */
export async function startSandboxEtcd(dataDir: string): Promise<SandboxEtcd> {
  const member = await startEtcdMember({ dataDir, name: 'sandbox' });
  const { endpoint } = member;
  const ctl = (args: string[]) =>
    execa('etcdctl', [`--endpoints=${endpoint}`, ...args], { env: { ETCDCTL_API: '3' } });
  try {
    // One put per key, as argv: etcdctl's txn reader would take the JSON's quotes for its own.
    const entries = Object.entries(REGISTRY);
    for (const [key, value] of entries) await ctl(['put', '--', key, value]);
    const { stdout } = await ctl(['version']);
    const version = /etcdctl version: (\S+)/.exec(stdout)?.[1] ?? 'unknown';
    return { endpoint, peerUrl: member.peerUrl, version, keys: entries.length, stop: () => member.stop() };
  } catch (error) {
    await member.stop();
    throw error;
  }
}
