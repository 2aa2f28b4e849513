/**
 * bench/etcd-drill: the etcd snapshot → restore → verify drill on 100,000 keys, run by Lifeboat (the
 * Engine on the real Redis, the executor behind its reactor, the real actions, the shipped
 * etcd-snapshot-restore runbook, manual steps confirmed at once) and by a plain bash script doing
 * the same checks and steps with the same tools (curl against the same s3rver and API emulator,
 * etcdctl, jq), interleaved on one machine. Run: npm run bench:etcd-drill
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { actionRegistry } from '../src/actions/index.js';
import type { IncidentEvent } from '../src/domain/events.js';
import { startAppService, type AppService } from '../test/support/app-service.js';
import { putKeys } from '../test/support/etcd.js';
import { contentOf, EtcdMember, type EtcdContent } from '../test/support/etcd-member.js';
import { K8sEmulator } from '../src/sandbox/k8s-emulator.js';
import { daemonSet, deployment, node } from '../src/sandbox/k8s/objects.js';
import { actionRunner } from '../test/support/k8s/run-action.js';
import { Lifeboat } from '../test/support/lifeboat-lab.js';
import { Responder, type ManualWork } from '../test/support/responder.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../test/support/s3.js';

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const CLUSTER = 'bench-cluster';
const PREFIX = `${CLUSTER}/`;

/**
 * The runbook by hand. `drill` is the whole of it; the other subcommands are its manual steps,
 * which the Lifeboat side runs too, so both sides do the same work by the same means. Marks
 * ($EPOCHREALTIME, a builtin: free) say where the time goes.
 */
const SCRIPT = String.raw`set -euo pipefail
fail() { echo "drill failed: $*" >&2; exit 1; }
mark() { printf '%s %s\n' "$1" "$EPOCHREALTIME" >>"$WORK/marks"; }
s3() { curl -fsS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"; }
kube() { curl -fsS --cacert "$K8S_CA" -H "Authorization: Bearer $K8S_TOKEN" "$@"; }
ectl() { ETCDCTL_API=3 etcdctl "$@"; }
on_node() { curl -fsS -X POST "$NODE_URL/$1" >/dev/null; }

stop_apiservers() { on_node stop; }
install_data_dirs() {
  if [ -e "$DATA_DIR" ]; then mv "$DATA_DIR" "$DATA_DIR.before-restore"; fi
  mv "$RESTORED" "$DATA_DIR"
  on_node start-etcd
}
start_apiservers() { on_node start-apiservers; }

drill() {
  mark prerequisites
  newest=$(s3 "$S3_ENDPOINT/$BUCKET?list-type=2&prefix=$PREFIX" | grep -oE '<Key>[^<]*</Key><LastModified>[^<]*' | sort -t '>' -k4,4 -k2,2 | tail -n 1)
  IFS='<>' read -r _ _ key _ <<<"$newest"
  [ -n "$key" ] || fail "no snapshot under s3://$BUCKET/$PREFIX"
  modified='' cluster='' sha256=''
  while IFS=': ' read -r name value; do
    case "$name" in
      [Ll]ast-[Mm]odified) modified=$value ;;
      x-amz-meta-cluster) cluster=$value ;;
      x-amz-meta-sha256) sha256=$value ;;
    esac
  done < <(s3 -I "$S3_ENDPOINT/$BUCKET/$key" | tr -d '\r')
  [ $(( EPOCHSECONDS - $(date -d "$modified" +%s) )) -lt 3600 ] || fail "the newest snapshot is older than 1h"
  [ "$cluster" = "$SOURCE_CLUSTER" ] || fail "the snapshot is from $cluster, not $SOURCE_CLUSTER"
  mark download
  s3 -o "$WORK/snapshot.db" "$S3_ENDPOINT/$BUCKET/$key"
  echo "$sha256  $WORK/snapshot.db" | sha256sum --check --status || fail "checksum mismatch"
  mark integrity
  ectl snapshot status "$WORK/snapshot.db" -w json | jq -e '.totalKey > 0' >/dev/null || fail "empty snapshot"
  mark stop-apiservers
  stop_apiservers
  if kube -o /dev/null "$K8S_URL/readyz" 2>/dev/null; then fail "the API server still answers"; fi
  mark restore-members
  ectl snapshot restore "$WORK/snapshot.db" --data-dir="$RESTORED" --name="$NAME" \
    --initial-cluster="$INITIAL_CLUSTER" --initial-advertise-peer-urls="$PEER_URL" \
    --initial-cluster-token="restore-$(basename "$WORK")" >/dev/null 2>&1 || fail "restore failed"
  mark install-data-dirs
  install_data_dirs
  ectl --endpoints="$CLIENT_URL" endpoint health >/dev/null 2>&1 || fail "etcd is not healthy"
  ectl --endpoints="$CLIENT_URL" get --prefix --keys-only --limit=1 -w json -- "" | jq -e '.count > 0' >/dev/null || fail "etcd is empty"
  mark start-apiservers
  start_apiservers
  kube -o /dev/null "$K8S_URL/readyz" || fail "the API server is not ready"
  kube "$K8S_URL/api/v1/nodes" | jq -e '(.items | length > 0) and all(.items[]; any(.status.conditions[]; .type == "Ready" and .status == "True"))' >/dev/null || fail "a node is not Ready"
  mark workloads-running
  apps="$K8S_URL/apis/apps/v1/namespaces/$CHECK_NS"
  kube "$apps/deployments" "$apps/statefulsets" "$apps/daemonsets" "$K8S_URL/api/v1/namespaces/$CHECK_NS/persistentvolumeclaims" |
    jq -es '(.[0:3] | map(.items) | add) as $w | ($w | length > 0)
      and all($w[]; (.status.availableReplicas // .status.numberAvailable // 0) >= (.spec.replicas // .status.desiredNumberScheduled // 1))
      and all(.[3].items[]; .status.phase == "Bound")' >/dev/null || fail "workloads are not available"
  mark smoke
  curl -fsS -o /dev/null "$HEALTH_URL" || fail "the application does not answer"
  mark done
}

case "$1" in
  drill) drill ;;
  stop-apiservers) stop_apiservers ;;
  install-data-dirs) install_data_dirs ;;
  start-apiservers) start_apiservers ;;
  *) fail "unknown subcommand $1" ;;
esac
`;

type Lab = {
  readonly dir: string;
  readonly s3: LocalS3;
  readonly api: K8sEmulator;
  readonly app: AppService;
  readonly member: EtcdMember;
  readonly control: http.Server;
  readonly lifeboat: Lifeboat;
  readonly script: string;
  /** What the script and the manual steps read; per run, WORK and RESTORED are added. */
  readonly env: Readonly<Record<string, string>>;
  readonly pristine: string;
  readonly before: EtcdContent;
};

/** The control-plane node's kubelet, as the manual steps reach it: stop everything, start etcd, start the API. */
async function nodeControl(member: EtcdMember, api: K8sEmulator, app: AppService): Promise<http.Server> {
  const actions: Record<string, () => Promise<void>> = {
    '/stop': async () => {
      await member.stop();
      await api.stop();
      app.up = false;
    },
    '/start-etcd': () => member.start(),
    '/start-apiservers': async () => {
      await api.start();
      app.up = true;
    },
  };
  const server = http.createServer((req, res) => {
    const action = actions[req.url ?? ''];
    if (req.method !== 'POST' || !action) return void res.writeHead(404).end();
    action().then(
      () => res.writeHead(200).end('ok'),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The emulator's CA and URL, as curl needs them (from the same kubeconfig the actions use). */
async function kubeAccess(api: K8sEmulator, dir: string): Promise<Record<string, string>> {
  const config = JSON.parse(api.kubeconfigFile(['bench'])) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  };
  const cluster = config.clusters[0]?.cluster;
  if (!cluster) throw new Error('the emulator gave no cluster');
  const ca = path.join(dir, 'k8s-ca.crt');
  await writeFile(ca, Buffer.from(cluster['certificate-authority-data'], 'base64'));
  return { K8S_URL: cluster.server, K8S_CA: ca, K8S_TOKEN: api.token };
}

/** etcd with KEYS keys, its snapshot in S3 (with its cluster and sha256), and a copy of its data dir to start each run from. */
async function seed(member: EtcdMember, s3: LocalS3, api: K8sEmulator, dir: string): Promise<EtcdContent> {
  await member.start();
  await putKeys(member.clientUrl, '/registry/bench/key-', KEYS);
  const before = await contentOf(member.clientUrl);
  const run = actionRunner(actionRegistry({ s3: s3.settings, kube: (t) => api.kubeConfig(t) }), {});
  const file = path.join(dir, 'backup.db');
  const saved = await run('etcd.snapshot-save', { endpoints: member.clientUrl, file });
  const key = `${PREFIX}snapshot-${Date.now()}.db`;
  const uploaded = await run('s3.upload', { bucket: s3.bucket, key, file, metadata: { cluster: CLUSTER } });
  if (!saved.passed || !uploaded.passed) throw new Error(`seeding failed: ${saved.error ?? uploaded.error}`);
  await member.stop();
  await execa('cp', ['-a', member.dataDir, path.join(dir, 'pristine')]);
  return before;
}

async function setUp(): Promise<Lab> {
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-bench-drill-'));
  const [s3, api, app] = await Promise.all([startS3(), K8sEmulator.create(), startAppService()]);
  api.seed('nodes', node('cp-1'), node('worker-1'));
  api.seed('deployments', deployment('kube-system', 'coredns', { replicas: 2 }));
  api.seed('daemonsets', daemonSet('kube-system', 'kube-proxy', 2));
  const member = await EtcdMember.create({ name: 'm1', dataDir: path.join(dir, 'var-lib-etcd') });
  const before = await seed(member, s3, api, dir);
  const control = await nodeControl(member, api, app);
  const script = path.join(dir, 'drill.sh');
  await writeFile(script, SCRIPT);
  const lifeboat = await Lifeboat.start({
    runbooks: 'runbooks',
    s3: s3.settings,
    kube: (target) => api.kubeConfig(target),
    clusters: {
      primary: {
        context: 'bench',
        etcd: { endpoints: [member.clientUrl] },
        apiServers: [api.url],
        isolated: true,
      },
    },
  });
  const env = {
    S3_ENDPOINT: s3.settings.endpoint ?? '',
    BUCKET: s3.bucket,
    PREFIX,
    SOURCE_CLUSTER: CLUSTER,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    NAME: member.name,
    PEER_URL: member.peerUrl,
    CLIENT_URL: member.clientUrl,
    INITIAL_CLUSTER: member.initialCluster,
    DATA_DIR: member.dataDir,
    CHECK_NS: 'kube-system',
    HEALTH_URL: app.healthUrl,
    NODE_URL: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    ...(await kubeAccess(api, dir)),
  };
  const pristine = path.join(dir, 'pristine');
  return { dir, s3, api, app, member, control, lifeboat, script, env, pristine, before };
}

/** Before each run: the cluster up with its KEYS keys, then the disaster (its data dir wiped under it). */
async function prepare(lab: Lab): Promise<void> {
  await lab.member.stop();
  for (const dir of [lab.member.dataDir, `${lab.member.dataDir}.before-restore`])
    await rm(dir, { recursive: true, force: true });
  await execa('cp', ['-a', lab.pristine, lab.member.dataDir]);
  await lab.member.start();
  await lab.api.start();
  lab.app.up = true;
  await rm(lab.member.dataDir, { recursive: true, force: true });
}

/** After each run, untimed: every key is back, byte for byte. */
async function verify(lab: Lab, who: string): Promise<void> {
  const after = await contentOf(lab.member.clientUrl);
  if (after.count !== KEYS || after.sha256 !== lab.before.sha256)
    throw new Error(
      `${who}: etcd holds ${after.count} keys with hash ${after.sha256}, not the ${KEYS} written`,
    );
}

type Run = {
  readonly seconds: number;
  readonly phases: Readonly<Record<string, number>>;
  /** Lifeboat only: where each step's time went, from the incident's own events. */
  readonly breakdown?: readonly string[];
};

async function runScript(lab: Lab): Promise<Run> {
  const work = await mkdtemp(path.join(lab.dir, 'script-'));
  const env = { ...lab.env, WORK: work, RESTORED: path.join(work, 'restored', `${lab.member.name}.etcd`) };
  const started = performance.now();
  await execa('bash', [lab.script, 'drill'], { env, stdio: 'inherit' });
  const seconds = (performance.now() - started) / 1000;
  const marks = (await readFile(path.join(work, 'marks'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => line.split(' ') as [string, string]);
  const phases = Object.fromEntries(
    marks.slice(0, -1).map(([name, at], i) => [name, Number(marks[i + 1]?.[1]) - Number(at)]),
  );
  await rm(work, { recursive: true, force: true });
  return { seconds, phases };
}

/** Each step's wall time from the incident's own events: StepStarted (or the previous step's end) to StepFinished. */
function lifeboatPhases(events: readonly IncidentEvent[]): Record<string, number> {
  const phases: Record<string, number> = {};
  let since = events.find((e) => e.type === 'ParamsSet')?.at ?? 0;
  for (const event of events) {
    if (event.type === 'PrerequisitesChecked' || event.type === 'StepFinished') {
      phases[event.type === 'StepFinished' ? event.step : 'prerequisites'] = (event.at - since) / 1000;
      since = event.at;
    }
  }
  return phases;
}

/**
 * Per step, in ms: waiting to start (the responder noticing the last step's end, Request, Approve),
 * the action itself (or the manual work), and the rest (the executor picking it up, verifications,
 * recording the result).
 */
function lifeboatBreakdown(events: readonly IncidentEvent[]): string[] {
  const rows: string[] = [];
  let previousEnd = events.find((e) => e.type === 'PrerequisitesChecked')?.at ?? 0;
  let started = 0;
  let confirmed = 0;
  for (const event of events) {
    if (event.type === 'StepStarted') started = event.at;
    if (event.type === 'ManualConfirmed') confirmed = event.at;
    if (event.type !== 'StepFinished') continue;
    const manual = confirmed >= started && confirmed > 0;
    const work = manual ? confirmed - started : event.durationMs;
    const rest = event.at - (manual ? confirmed : started + event.durationMs);
    rows.push(`| ${event.step} | ${started - previousEnd} | ${work}${manual ? ' (manual)' : ''} | ${rest} |`);
    previousEnd = event.at;
    confirmed = 0;
  }
  return rows;
}

async function runLifeboat(lab: Lab): Promise<Run> {
  const responder = new Responder(lab.lifeboat, `DRILL-bench-${randomBytes(4).toString('hex')}`);
  const manual =
    (subcommand: string): ManualWork =>
    async (state) => {
      const dataDirs = (state.steps['restore-members']?.result?.dataDirs ?? {}) as Record<string, string>;
      const env = { ...lab.env, WORK: lab.dir, RESTORED: dataDirs[lab.member.name] ?? '' };
      await execa('bash', [lab.script, subcommand], { env, stdio: 'inherit' });
      return `${subcommand} done`;
    };
  const started = performance.now();
  await responder.declareDrill('etcd-snapshot-restore', 'bench: etcd lost');
  const preflight = await responder.setParams({
    bucket: lab.env.BUCKET,
    prefix: PREFIX,
    sourceCluster: CLUSTER,
    initialCluster: lab.member.initialCluster,
    checkNamespace: 'kube-system',
    healthUrl: lab.app.healthUrl,
  });
  if (!preflight.passed) throw new Error(`prerequisites failed: ${preflight.failed.join('; ')}`);
  const steps = lab.lifeboat.engine.runbook('etcd-snapshot-restore')?.runbook.steps ?? [];
  for (const { id, action } of steps) {
    const finished = await responder.runStep(id, action === 'manual' ? manual(id) : undefined);
    if (finished.status !== 'passed') throw new Error(`step ${id} failed: ${finished.error ?? ''}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const events = await lab.lifeboat.engine.events(responder.incidentId);
  await responder.send({ type: 'Resolve' });
  return { seconds, phases: lifeboatPhases(events), breakdown: lifeboatBreakdown(events) };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function versions(): Promise<string> {
  const first = async (command: string, args: string[]) =>
    (await execa(command, args, { reject: false })).stdout.split('\n')[0] ?? '?';
  const [etcd, redis] = await Promise.all([
    first('etcd', ['--version']),
    first('redis-server', ['--version']),
  ]);
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${etcd}, ${redis.replace(/ sha=.*/, '')}`;
}

async function timed(lab: Lab, who: 'script' | 'lifeboat'): Promise<Run> {
  await prepare(lab);
  const run = who === 'script' ? await runScript(lab) : await runLifeboat(lab);
  await verify(lab, who);
  return run;
}

function report(runs: Record<'script' | 'lifeboat', Run[]>): void {
  const fmt = (n: number) => n.toFixed(3);
  console.log('\n| run | script s | Lifeboat s | Lifeboat / script |\n|---|---|---|---|');
  runs.script.forEach((s, i) => {
    const l = runs.lifeboat[i];
    if (l)
      console.log(
        `| ${i + 1} | ${fmt(s.seconds)} | ${fmt(l.seconds)} | ${(l.seconds / s.seconds).toFixed(3)} |`,
      );
  });
  const [s, l] = [median(runs.script.map((r) => r.seconds)), median(runs.lifeboat.map((r) => r.seconds))];
  console.log(`| median | ${fmt(s)} | ${fmt(l)} | **${(l / s).toFixed(3)}** |`);
  console.log('\n| phase (median s) | script | Lifeboat | difference |\n|---|---|---|---|');
  for (const phase of Object.keys(runs.script[0]?.phases ?? {})) {
    const [sp, lp] = (['script', 'lifeboat'] as const).map((who) =>
      median(runs[who].map((r) => r.phases[phase] ?? 0)),
    );
    console.log(`| ${phase} | ${fmt(sp ?? 0)} | ${fmt(lp ?? 0)} | ${fmt((lp ?? 0) - (sp ?? 0))} |`);
  }
  const last = runs.lifeboat.at(-1);
  console.log('\n| Lifeboat, last run: step | wait to start ms | action ms | pick-up + verify + record ms |');
  console.log(['|---|---|---|---|', ...(last?.breakdown ?? [])].join('\n'));
}

async function main(): Promise<void> {
  // The shipped restore bumps revisions, which takes etcd 3.5's etcdutl: `bash .ci/run` unpacks it.
  if (process.env.LIFEBOAT_ETCD35_BIN)
    process.env.PATH = `${process.env.LIFEBOAT_ETCD35_BIN}${path.delimiter}${process.env.PATH ?? ''}`;
  console.log(
    `machine: ${await versions()}; ${KEYS} keys, ${REPS} runs each, load ${os.loadavg()[0]?.toFixed(2)}`,
  );
  const lab = await setUp();
  try {
    // Warm-up, not counted: page cache, JIT, connections, etcdctl's feature probe.
    for (const who of ['script', 'lifeboat'] as const) await timed(lab, who);
    const runs: Record<'script' | 'lifeboat', Run[]> = { script: [], lifeboat: [] };
    for (let i = 0; i < REPS; i++) {
      // Alternate which goes first, so neither always inherits the other's leftovers.
      const order = i % 2 === 0 ? (['script', 'lifeboat'] as const) : (['lifeboat', 'script'] as const);
      for (const who of order) {
        const run = await timed(lab, who);
        runs[who].push(run);
        console.log(`run ${i + 1} ${who}: ${run.seconds.toFixed(3)} s`);
      }
    }
    report(runs);
    if (lab.lifeboat.errors.length > 0) console.log('executor errors:', lab.lifeboat.errors);
  } finally {
    await lab.lifeboat.stop();
    await lab.member.stop();
    await new Promise((resolve) => lab.control.close(resolve));
    await Promise.all([lab.api.close(), lab.s3.stop(), lab.app.close()]);
    await rm(lab.dir, { recursive: true, force: true });
  }
}

await main();
