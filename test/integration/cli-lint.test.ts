import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { BIN, lifeboat, ROOT } from '../support/cli.js';
import { copyOfShippedRunbooks, SHIPPED_RUNBOOKS } from '../support/runbook-folder.js';

describe('lifeboat lint (the real binary)', () => {
  let folder: Awaited<ReturnType<typeof copyOfShippedRunbooks>>;
  beforeEach(async () => {
    folder = await copyOfShippedRunbooks();
  });
  afterEach(() => folder.remove());

  it('loads no cloud SDK, Redis or Slack client to lint or print the schema, so it starts in under a second', async () => {
    // A resolve hook names every SDK module the process imports, however indirectly.
    const hook = `data:text/javascript,import{registerHooks}from"node:module";registerHooks({resolve(s,c,n){if(/^(@kubernetes|@aws-sdk|execa$|ioredis$|@slack)/.test(s))process.stderr.write("loaded "+s+"\\n");return n(s,c)}})`;
    for (const args of [['lint', 'runbooks'], ['schema'], ['--help']]) {
      const run = await execa(process.execPath, ['--import', hook, BIN, ...args], {
        cwd: ROOT,
        reject: false,
      });
      expect({ args, exitCode: run.exitCode, loaded: run.stderr }).toEqual({ args, exitCode: 0, loaded: '' });
    }
  });

  it('passes the shipped runbooks with exit 0', async () => {
    const run = await lifeboat(['lint', 'runbooks']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✓ 9 runbooks, 1 decision trees: 0 errors, 0 warnings');
  });

  it('with --config, warns about a scheduled drill whose runbook names a cluster no drill cluster stands in for', async () => {
    const config = path.join(folder.dir, '..', `lifeboat-${path.basename(folder.dir)}.yaml`);
    await writeFile(
      config,
      'clusters:\n  drill: { context: d }\ndrills:\n  cluster: drill\n  schedule: [{ runbook: region-failover, cron: "0 3 1 * *" }]\n',
    );
    const run = await lifeboat(['lint', 'runbooks', '--config', config]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('the scheduled drill of region-failover (0 3 1 * *) will not start');
    expect(run.stdout).toContain('drills.clusters.standby');
  });

  it('refuses the runbook a destructive step with approval.count 0 is in, and says why', async () => {
    await folder.edit('velero-namespace-restore.yaml', 'approval: { count: 1,', 'approval: { count: 0,');
    const run = await lifeboat(['lint', folder.dir]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('a destructive step needs at least one approval');
  });

  it('prints file:line:col and a hint for each error, and exits 1', async () => {
    await folder.edit('velero-namespace-restore.yaml', 'idempotent: false', 'idempotant: false');
    const run = await lifeboat(['lint', folder.dir]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `${folder.dir}/velero-namespace-restore\\.yaml:\\d+:5  error  unknown key "idempotant"\\n    hint: did you mean "idempotent"\\?`,
      ),
    );
    expect(run.stdout).toContain('1 errors');
  });

  it('speaks JSON for machines', async () => {
    await folder.edit(
      'decision-tree.yaml',
      'runbook: control-plane-recovery',
      'runbook: control-plane-recover',
    );
    const run = await lifeboat(['lint', folder.dir, '--format', 'json']);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      errors: number;
      findings: { severity: string; line: number; col: number; message: string }[];
    };
    expect(report).toMatchObject({ ok: false, errors: 1, warnings: 1 });
    expect(report.findings.find((f) => f.severity === 'error')).toMatchObject({
      line: 47,
      col: 18,
      message: 'runbook "control-plane-recover" does not exist',
    });
  });

  it('refuses a 10 MB file with a clear error and no crash', async () => {
    await writeFile(path.join(folder.dir, 'huge.yaml'), Buffer.alloc(10 * 1024 * 1024, 'a'));
    const run = await lifeboat(['lint', folder.dir]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/huge\.yaml:1:1 {2}error {2}file is 10\.0 MiB; runbooks are limited to 1 MiB/);
    expect(run.stderr).toBe('');
  });

  it('names a folder it cannot read, and an unknown format', async () => {
    const missing = await lifeboat(['lint', '/nonexistent/runbooks']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/runbooks/);
    const format = await lifeboat(['lint', 'runbooks', '--format', 'xml']);
    expect(format.exitCode).toBe(2);
    expect(format.stderr).toMatch(/unknown --format "xml"; use text or json/);
  });
});

describe('lifeboat --help and schema', () => {
  it('has --help on every subcommand', async () => {
    const top = await lifeboat(['--help']);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) /gm)]
      .map((m) => m[1] ?? '')
      .filter((c) => c !== 'help');
    expect(commands).toEqual(
      expect.arrayContaining(['lint', 'export', 'schema', 'serve', 'timeline', 'report', 'readiness']),
    );
    const runs = await Promise.all(commands.map((command) => lifeboat([command, '--help'])));
    runs.forEach((run, i) => {
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`Usage: lifeboat ${commands[i] ?? ''}`);
    });
  });

  it('prints the JSON Schema that the committed schema file and every shipped runbook point at', async () => {
    const run = await lifeboat(['schema']);
    expect(run.exitCode).toBe(0);
    const committed = await readFile(path.join(ROOT, 'schema/lifeboat-v1.json'), 'utf8');
    expect(`${run.stdout}\n`).toBe(committed); // execa drops the final newline
    const schema = JSON.parse(run.stdout) as { anyOf: { properties: { kind: { const: string } } }[] };
    expect(schema.anyOf.map((s) => s.properties.kind.const)).toEqual(['Runbook', 'DecisionTree']);
    for (const file of await readdir(SHIPPED_RUNBOOKS)) {
      const text = await readFile(path.join(SHIPPED_RUNBOOKS, file), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/lifeboat-v1.json');
    }
  });
});
