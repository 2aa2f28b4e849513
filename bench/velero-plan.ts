/**
 * The restore plan and the restore ledger for a backup of 50,000 objects in one namespace:
 * gunzip + parse of the BackupResourceList and BackupVolumeInfos as downloaded, buildPlan,
 * planDigest and renderPlan; then parse of RestoreResults/RestoreResourceList, judge() with
 * allowWarnings (ledger, grouping, report). Targets: under 2 s and under 200 MB extra memory.
 *
 *   tsc -p tsconfig.bench.json && node --expose-gc out/bench/velero-plan.js
 *
 * Each of five runs is a fresh process (first run, cold JIT: what a replica does once per restore).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ResourceList } from '../src/actions/velero/backup-choice.js';
import { Restore } from '../src/actions/velero/objects.js';
import { buildPlan, VolumeInfo } from '../src/actions/velero/plan.js';
import { planDigest, renderPlan } from '../src/actions/velero/plan-words.js';
import { judge } from '../src/actions/velero/restore-verdict.js';
import { z } from 'zod';

const OBJECTS = 50_000;
const NS = 'payments';
const KINDS = [
  'v1/ConfigMap',
  'v1/Secret',
  'v1/Service',
  'apps/v1/Deployment',
  'v1/ServiceAccount',
  'example.com/v1/Widget',
];
const PVCS = 2_000;

function backupFiles() {
  const resources: Record<string, string[]> = { 'v1/PersistentVolumeClaim': [], 'v1/PersistentVolume': [] };
  const volumes: unknown[] = [];
  for (let i = 0; i < PVCS; i++) {
    resources['v1/PersistentVolumeClaim']!.push(`${NS}/data-${i}`);
    resources['v1/PersistentVolume']!.push(`pvc-${i}`);
    volumes.push({
      pvcName: `data-${i}`,
      pvcNamespace: NS,
      pvName: `pvc-${i}`,
      backupMethod: i % 3 === 0 ? 'PodVolumeBackup' : 'CSISnapshot',
      snapshotDataMoved: i % 3 === 1,
      preserveLocalSnapshot: false,
      skipped: false,
      result: 'succeeded',
    });
  }
  for (let i = 0; i < OBJECTS - 2 * PVCS; i++) {
    const kind = KINDS[i % KINDS.length]!;
    (resources[kind] ??= []).push(`${NS}/object-${i}`);
  }
  return { resources: gzipSync(JSON.stringify(resources)), volumes: gzipSync(JSON.stringify(volumes)) };
}

function restoreFiles(resources: Record<string, string[]>) {
  const list: Record<string, string[]> = {};
  const warnings: string[] = [];
  let n = 0;
  for (const [kind, entries] of Object.entries(resources))
    list[kind] = entries.map((entry) => {
      n += 1;
      if (n % 100 !== 0) return `${entry}(created)`;
      const name = entry.split('/')[1] ?? entry;
      warnings.push(
        `could not restore, ${kind.split('/').at(-1)} "${name}" already exists. Warning: the in-cluster version is different than the backed-up version`,
      );
      return `${entry}(failed)`;
    });
  return {
    results: gzipSync(JSON.stringify({ errors: {}, warnings: { namespaces: { [NS]: warnings } } })),
    list: gzipSync(JSON.stringify(list)),
  };
}

const parse = (gz: Buffer): unknown => JSON.parse(gunzipSync(gz).toString('utf8'));

function once(files: ReturnType<typeof backupFiles>, restored: ReturnType<typeof restoreFiles>) {
  const resources = ResourceList.parse(parse(files.resources));
  const volumes = z.array(VolumeInfo).parse(parse(files.volumes));
  const existing = new Set<string>();
  for (let i = 0; i < 500; i++) existing.add(`object-${i * KINDS.length}`);
  const lookups = new Map(
    Object.keys(resources).map((key) => [key, { check: 'checked' as const, names: new Set<string>() }]),
  );
  lookups.set('v1/ConfigMap', { check: 'checked', names: existing });
  const plan = buildPlan(
    { backup: 'payments-daily', namespace: NS, targetNamespace: NS, existingResourcePolicy: 'none' },
    resources,
    volumes,
    {
      lookups,
      crds: new Set(['example.com/Widget']),
      persistentVolumes: [],
    },
  );
  const digest = planDigest(plan);
  const text = renderPlan(plan);
  const restore = Restore.parse({
    metadata: { name: 'lifeboat-inc-1-restore-1' },
    status: { phase: 'Completed', warnings: 500, progress: { totalItems: OBJECTS, itemsRestored: OBJECTS } },
  });
  const verdict = judge(restore, parse(restored.results), parse(restored.list), [
    'already exists\\. Warning: the in-cluster version',
  ]);
  return {
    objects: plan.objects,
    digest,
    text: text.length,
    report: String(verdict.result.stdout).length,
    problem: verdict.problem,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const dir = process.argv[2];
if (dir) {
  // The measured child: the gzip files as downloaded are its only input, so its peak RSS above
  // the baseline taken after reading them is the memory the plan and the ledger cost.
  const read = (name: string) => readFileSync(path.join(dir, name));
  const files = { resources: read('resources.gz'), volumes: read('volumes.gz') };
  const restored = { results: read('results.gz'), list: read('list.gz') };
  gc();
  const baseline = process.memoryUsage().rss;
  const start = performance.now();
  const last = once(files, restored);
  const ms = performance.now() - start;
  const extraMb = (process.resourceUsage().maxRSS * 1024 - baseline) / 1024 / 1024;
  console.log(
    JSON.stringify({
      ms: Math.round(ms),
      extraMb: Math.round(extraMb),
      objects: last.objects,
      passed: last.problem === undefined,
    }),
  );
} else {
  const files = backupFiles();
  const restored = restoreFiles(ResourceList.parse(parse(files.resources)));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'velero-plan-'));
  for (const [name, data] of Object.entries({
    'resources.gz': files.resources,
    'volumes.gz': files.volumes,
    'results.gz': restored.results,
    'list.gz': restored.list,
  }))
    writeFileSync(path.join(tmp, name), data);
  const runs = Array.from(
    { length: 5 },
    () =>
      JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), tmp], {
          encoding: 'utf8',
        }),
      ) as { ms: number; extraMb: number; objects: number; passed: boolean },
  );
  rmSync(tmp, { recursive: true });
  const sorted = (key: 'ms' | 'extraMb') => runs.map((r) => r[key]).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, load ${os.loadavg()[0]?.toFixed(1)}`,
      objectsInList: OBJECTS,
      objectsOfNamespace: runs[0]?.objects,
      passed: runs.every((r) => r.passed),
      ms: sorted('ms'),
      extraMb: sorted('extraMb'),
      compressedKb: Math.round(
        (files.resources.length + files.volumes.length + restored.list.length + restored.results.length) /
          1024,
      ),
    }),
  );
}
