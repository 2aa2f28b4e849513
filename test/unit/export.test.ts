import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { exportCommand } from '../../src/cli/export.js';
import type { DecisionTree } from '../../src/domain/tree.js';
import { binderIndex, runbookMarkdown, shellQuote } from '../../src/runbooks/export-markdown.js';
import { treeMermaid } from '../../src/runbooks/export-mermaid.js';
import { loadRunbooks, type RunbookLibrary } from '../../src/runbooks/load.js';

const VALID = path.resolve('test/fixtures/export/valid');
const INVALID = path.resolve('test/fixtures/export/invalid');
const NOW = new Date('2026-11-26T03:00:00Z');
const ETCD = 'Restore etcd from the latest snapshot';
const VELERO = 'Restore a deleted namespace from a Velero backup';
const titles = new Map([
  ['etcd-snapshot-restore', ETCD],
  ['velero-namespace-restore', VELERO],
]);

let library: RunbookLibrary;
let tree: DecisionTree;
const page = (id: string): string => runbookMarkdown(library.runbooks.get(id)!.runbook);
const temps: string[] = [];

function contains(text: string, ...parts: readonly string[]): void {
  for (const part of parts) expect(text).toContain(part);
}

/** The part of a page under a `###` heading, up to the next heading of level 2 or 3. */
function section(markdown: string, heading: string): string {
  const rest = markdown.slice(markdown.indexOf(`### ${heading}`) + 4);
  expect(markdown).toContain(`### ${heading}`);
  const end = rest.search(/^#{2,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** An exportCommand run against a fresh temp folder, with what it printed. */
async function run(dir: string): Promise<{ code: number; root: string; out: string; printed: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-export-'));
  temps.push(root);
  const printed: string[] = [];
  const sink = { write: (text: string) => printed.push(text) };
  const out = path.join(root, 'binder');
  const code = await exportCommand(dir, out, { now: NOW, stdout: sink, stderr: sink });
  return { code, root, out, printed: printed.join('') };
}

beforeAll(async () => {
  library = await loadRunbooks(VALID);
  expect(library.findings.filter((f) => f.severity === 'error')).toEqual([]);
  tree = library.defaultTree!.tree;
});

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('runbook page', () => {
  it('prints a shell step as one command line in an sh block, placeholders as written', () => {
    const command =
      "ETCDCTL_API=3 etcdutl snapshot restore '{{ workdir }}/snap.db' --name '{{ params.member }}' " +
      "--data-dir '/var/lib/etcd-{{ params.member }}' --initial-advertise-peer-urls '{{ params.endpoint }}'";
    contains(section(page('etcd-snapshot-restore'), 'Step 2'), '```sh\n' + command + '\n```');
  });

  it('quotes arguments so a shell reads back exactly the argv the runbook lists', () => {
    const argv = ['{{ params.ns }}', "it's done", '$(reboot)', '', '--data-dir=/var/lib/etcd', 'a|b'];
    const script = `printf '%s\\n' ${argv.map(shellQuote).join(' ')}`;
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toBe(
      argv.map((arg) => `${arg}\n`).join(''),
    );
    expect(shellQuote('--data-dir=/var/lib/etcd')).toBe('--data-dir=/var/lib/etcd');
  });

  it('says who must approve a destructive step: the defaults, or the rule the runbook sets', () => {
    contains(
      section(page('etcd-snapshot-restore'), 'Step 2'),
      '⚠️ destructive',
      '**Approval:** Needs 1 approval from approvers, not the person who requested it; an approval expires after 15m',
    );
    contains(section(page('etcd-snapshot-restore'), 'Step 1'), '**Approval:** none');
    contains(
      section(page('velero-namespace-restore'), 'Step 1'),
      'Needs 2 approvals from @sre-leads, not the person who requested it; an approval expires after 10m',
    );
  });

  it('marks the step that restores service and the check RPO is measured from, once each', () => {
    const etcd = page('etcd-snapshot-restore');
    contains(section(etcd, 'Step 3'), 'This step restores service: RTO stops when it passes');
    contains(section(etcd, 'Check `latest-snapshot`'), 'Restore point: RPO is measured from this check');
    expect(etcd.match(/restores service: RTO/g)).toHaveLength(1);
    expect(etcd.match(/Restore point: RPO/g)).toHaveLength(1);
    // A failover's RPO is the replication lag read at the fence: written down at that step instead.
    const runbook = library.runbooks.get('etcd-snapshot-restore')!.runbook;
    const lagged = runbookMarkdown({
      ...runbook,
      steps: runbook.steps.map((step, i) => (i === 1 ? { ...step, restorePoint: 'lag' as const } : step)),
    });
    contains(section(lagged, 'Step 2'), 'the replication lag this step reads is the RPO');
    expect(section(lagged, 'Step 1')).not.toContain('Restore point');
  });

  it('gives every step an empty checkbox and a line for the time it was done', () => {
    const boxes = page('etcd-snapshot-restore').match(
      /^- \[ \] Step \d \(`[a-z-]+`\) done at \(time\): _+ by: _+$/gm,
    );
    expect(boxes?.map((box) => box.slice(0, 12))).toEqual(['- [ ] Step 1', '- [ ] Step 2', '- [ ] Step 3']);
  });

  it('shows other actions as action/with YAML, with expect, timeout, idempotence, verify and rollback', () => {
    const etcd = page('etcd-snapshot-restore');
    contains(
      section(etcd, 'Step 1'),
      '```yaml\naction: s3.download\nwith:\n  bucket: etcd-snapshots\n',
      '  key: "{{ checks.latest-snapshot.result.key }}"\n',
      '**Idempotent:** yes',
    );
    contains(
      section(etcd, 'Step 2'),
      '**Timeout:** 20m',
      '**Expect:** `exitCode = 0`',
      '**Verify 1:** etcd answers again',
      'action: etcd.endpoint-health\nwith:\n  endpoints:\n    - "{{ params.endpoint }}"',
      '**Rollback: Put the old data dir back**',
      "instructions: Move /var/lib/etcd-old back to /var/lib/etcd and restart the member's static pod.",
    );
  });

  it('lists targets, owner, parameters, tools, communication and dependencies, escaping | in cells', () => {
    const etcd = page('etcd-snapshot-restore');
    contains(
      etcd,
      '- **RTO target:** 1h',
      '- **RPO target:** 6h',
      '- **Owner:** @platform-oncall',
      '| `schedule` | string | pattern `^(daily\\|hourly)$` | Snapshot schedule | required, default `hourly` |',
      '| `mode` | enum | one of `single`, `all-members` |',
      '| `retries` | int | 1..5 | Health check attempts | optional |',
      'Tools that must be on PATH: `etcdutl`, `etcdctl`',
      '| declared | #status | Restoring etcd member {{ params.member }} \\| next update in 30 minutes. |',
    );
    contains(section(etcd, 'snapshot-bucket'), 'url: https://s3.example.com/etcd-snapshots');
  });
});

describe('decision tree in Mermaid', () => {
  it('draws one labelled edge per option, escaping quotes and angle brackets', () => {
    const chart = treeMermaid(tree, titles);
    const edges = chart.split('\n').filter((line) => line.includes('-->'));
    expect(edges).toHaveLength(Object.values(tree.nodes).flatMap((node) => node.options).length);
    contains(
      chart,
      '  q_scope -->|"A namespace or application was deleted"| rb_velero_namespace_restore\n',
      '|"kubectl says #quot;connection refused#quot;<br/>(suggested when the probe fails)"|',
      '|"etcd data is lost or corrupt (#lt;all#gt; members)"|',
      'q_scope{"What is failing?<br/>🔎 probe: k8s.apiserver-ready"}',
    );
    expect(chart).not.toContain('"connection refused"');
  });

  it('shows each runbook once, as a stadium with title and id, however many options lead to it', () => {
    const chart = treeMermaid(tree, titles);
    expect(chart.match(/\| rb_velero_namespace_restore$/gm)).toHaveLength(2);
    expect(chart.split('\n').filter((line) => line.includes('(["'))).toEqual([
      `  rb_velero_namespace_restore(["${VELERO}<br/>velero-namespace-restore"])`,
      `  rb_etcd_snapshot_restore(["${ETCD}<br/>etcd-snapshot-restore"])`,
    ]);
  });

  it('keeps node ids safe identifiers that never collide', () => {
    // Schema ids cannot hold "_" or ".", but the drawing must not rely on that.
    const nodes = parse(`
      a-b: { question: First?, options: [{ label: On, next: a_b }, { label: Off, runbook: x.y }] }
      a_b: { question: Second?, options: [{ label: Yes, runbook: x.y }, { label: No, runbook: x-y }] }
    `) as DecisionTree['nodes'];
    const chart = treeMermaid({ ...tree, start: 'a-b', nodes }, new Map());
    contains(chart, '  q_a_b -->|"On"| q_a_b_2\n', '  rb_x_y(["x.y"])\n  rb_x_y_2(["x-y"])');
    for (const line of chart.trimEnd().split('\n').slice(1)) {
      expect(line).toMatch(/^ {2}[A-Za-z0-9_]+(\{".*"\}|\(\[".*"\]\)| -->\|".*"\| [A-Za-z0-9_]+)$/);
    }
  });
});

describe('binder', () => {
  it('indexes runbooks with targets and links, and embeds the tree as Mermaid and as a list', () => {
    const runbooks = [...library.runbooks.values()].map((r) => r.runbook);
    contains(
      binderIndex({ generatedAt: NOW, source: 'runbooks', runbooks, trees: [tree] }),
      'Generated 2026-11-26T03:00:00.000Z',
      `| ${ETCD} | etcd data lost or corrupt | 1h | 6h | [etcd-snapshot-restore.md](etcd-snapshot-restore.md) |`,
      '```mermaid\nflowchart TD\n',
      '  - kubectl says "connection refused" →\n    - **What does etcd say?**',
      `(\\<all\\> members) → runbook [${ETCD}](etcd-snapshot-restore.md)`,
    );
  });

  it('writes README.md, decision-tree.mmd and one page per runbook, and prints their paths', async () => {
    const { code, out, printed } = await run(VALID);
    const read = (file: string): Promise<string> => readFile(path.join(out, file), 'utf8');
    expect(code).toBe(0);
    const files = [
      'README.md',
      'decision-tree.mmd',
      'etcd-snapshot-restore.md',
      'velero-namespace-restore.md',
    ];
    expect((await readdir(out)).sort()).toEqual(files);
    contains(printed, ...files.map((file) => `${path.join(out, file)}\n`));
    contains(await read('README.md'), 'Generated 2026-11-26T03:00:00.000Z', '](velero-namespace-restore.md)');
    expect(await read('decision-tree.mmd')).toBe(treeMermaid(tree, titles));
    expect(await read('etcd-snapshot-restore.md')).toBe(page('etcd-snapshot-restore'));
  });

  it('refuses a folder with lint errors: prints them, returns 1 and writes nothing', async () => {
    const { code, root, printed } = await run(INVALID);
    expect(code).toBe(1);
    expect(await readdir(root)).toEqual([]);
    expect(printed).toMatch(/tree\.yaml:\d+:\d+ {2}error {2}runbook "region-failover" does not exist/);
    contains(printed, 'nothing written');
  });
});
