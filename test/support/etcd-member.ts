import { execa, type ResultPromise } from 'execa';
import { createHash } from 'node:crypto';
import { etcdHealthy } from '../../src/sandbox/etcd.js';
import { freePort } from './etcd.js';

/** What a cluster holds, in a form two clusters can be compared by: how many keys, and one hash of them all. */
export type EtcdContent = { readonly count: number; readonly sha256: string };

const kvsOf = (text: string): { key: string; value?: string }[] =>
  (JSON.parse(text) as { kvs?: { key: string; value?: string }[] }).kvs ?? [];

/** Every key and value (etcdctl get "" --prefix), as sorted key=value lines hashed with sha256. */
export async function contentOf(endpoint: string): Promise<EtcdContent> {
  const { stdout } = await execa(
    'etcdctl',
    [`--endpoints=${endpoint}`, 'get', '--prefix', '-w', 'json', '--', ''],
    {
      env: { ETCDCTL_API: '3' },
      maxBuffer: 1024 ** 3,
    },
  );
  const text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');
  const lines = kvsOf(stdout)
    .map(({ key, value }) => `${text(key)}=${text(value)}`)
    .sort();
  return { count: lines.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/**
 * One etcd member at fixed loopback URLs, like etcd on a control-plane node: it can be stopped, have
 * its data dir replaced by a restored one, and be started again at the same address, which is what
 * Lifeboat's cluster config (clusters.NAME.etcd.endpoints) keeps pointing at.
 */
export class EtcdMember {
  private child: ResultPromise | undefined;
  /** Every member's NAME=PEER_URL when this member is one of several. */
  private peers: string | undefined;

  private constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly clientUrl: string,
    readonly peerUrl: string,
  ) {}

  static async create(options: { name: string; dataDir: string }): Promise<EtcdMember> {
    const [client, peer] = [await freePort(), await freePort()];
    return new EtcdMember(
      options.name,
      options.dataDir,
      `http://127.0.0.1:${client}`,
      `http://127.0.0.1:${peer}`,
    );
  }

  /** Members m1…mN of one cluster, each at its own fixed loopback URLs; start them together (quorum). */
  static async cluster(options: { size: number; root: string }): Promise<EtcdMember[]> {
    const members: EtcdMember[] = [];
    for (let i = 1; i <= options.size; i++)
      members.push(await EtcdMember.create({ name: `m${i}`, dataDir: `${options.root}/m${i}` }));
    const peers = members.map((member) => `${member.name}=${member.peerUrl}`).join(',');
    for (const member of members) member.peers = peers;
    return members;
  }

  /** NAME=PEER_URL of every member, the runbook's `initialCluster`. */
  get initialCluster(): string {
    return this.peers ?? `${this.name}=${this.peerUrl}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts etcd on the data dir (new or restored) and waits until it reports healthy. `join` starts
   * a member added with `member add`: its --initial-cluster as that printed, and state existing.
   */
  async start(timeoutMs = 15_000, join?: { initialCluster: string }): Promise<void> {
    if (this.running) throw new Error(`etcd member ${this.name} is already running`);
    const child = execa(
      'etcd',
      [
        `--name=${this.name}`,
        `--data-dir=${this.dataDir}`,
        `--listen-client-urls=${this.clientUrl}`,
        `--advertise-client-urls=${this.clientUrl}`,
        `--listen-peer-urls=${this.peerUrl}`,
        `--initial-advertise-peer-urls=${this.peerUrl}`,
        `--initial-cluster=${join?.initialCluster ?? this.initialCluster}`,
        ...(join ? ['--initial-cluster-state=existing'] : []),
        // putKeys writes 1000 keys per transaction.
        '--max-txn-ops=1000',
        // Loopback: a leader within a few ms of start, instead of a random 0.1-1 s that would drown the timings.
        '--heartbeat-interval=10',
        '--election-timeout=100',
        '--logger=zap',
        '--log-level=error',
      ],
      { reject: false, stdin: 'ignore', all: true },
    );
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (!(await etcdHealthy(this.clientUrl))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop();
        const output = String((await child).all ?? '').slice(-2000);
        throw new Error(`etcd member ${this.name} did not become healthy at ${this.clientUrl}:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. Leaves the data dir. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.kill('SIGTERM');
    await child;
    clearTimeout(killer);
  }
}
