import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { loadRunbooks } from '../../src/runbooks/load.js';
import type { Finding } from '../../src/runbooks/finding.js';
import { copyOfShippedRunbooks, lineOf, SHIPPED_RUNBOOKS } from '../support/runbook-folder.js';

let folder: Awaited<ReturnType<typeof copyOfShippedRunbooks>>;
beforeEach(async () => {
  folder = await copyOfShippedRunbooks();
});
afterEach(() => folder.remove());

async function errorsAfter(file: string, from: string, to: string): Promise<Finding[]> {
  await folder.edit(file, from, to);
  const library = await loadRunbooks(folder.dir);
  expect(library.ok).toBe(false);
  return library.findings.filter((f) => f.severity === 'error');
}

async function expectOneErrorAt(
  file: string,
  from: string,
  to: string,
  message: RegExp,
  lineNeedle = to,
): Promise<Finding> {
  const errors = await errorsAfter(file, from, to);
  expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(message)]);
  const [error] = errors as [Finding];
  expect(path.basename(error.file)).toBe(file);
  expect(error.line).toBe(await lineOf(path.join(folder.dir, file), lineNeedle));
  expect(error.hint).toBeTruthy();
  return error;
}

describe('lint of the shipped runbooks', () => {
  it('is clean: every shipped runbook, one default tree, no errors or warnings', async () => {
    const library = await loadRunbooks(SHIPPED_RUNBOOKS);
    expect(library.findings).toEqual([]);
    expect([...library.runbooks.keys()].sort()).toEqual([
      'backup-health-check',
      'cluster-rebuild',
      'control-plane-recovery',
      'etcd-member-replace',
      'etcd-snapshot-restore',
      'k3s-etcd-restore',
      'region-failover',
      'velero-namespace-restore',
      'velero-partial-restore',
    ]);
    expect(library.defaultTree?.tree.id).toBe('k8s-dr');
  });
});

describe('lint finds what a runbook author gets wrong, at the line to change', () => {
  it('a misspelt key, with the right spelling as a hint', async () => {
    const error = await expectOneErrorAt(
      'velero-namespace-restore.yaml',
      'idempotent: false',
      'idempotant: false',
      /unknown key "idempotant"/,
    );
    expect(error.hint).toMatch(/did you mean "idempotent"/);
    expect(error.col).toBe(5);
  });

  it('warns when the step that stops the RTO clock is a manual tick, not a check of the service', async () => {
    await folder.edit('velero-namespace-restore.yaml', '    restoresService: true\n', '');
    await folder.edit(
      'velero-namespace-restore.yaml',
      '    description: A running pod on a corrupt database is not a recovery.\n',
      '    description: A running pod on a corrupt database is not a recovery.\n    restoresService: true\n',
    );
    const library = await loadRunbooks(folder.dir);
    expect(library.ok).toBe(true);
    expect(library.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/stops the RTO clock is manual/),
      }),
    ]);
  });

  it('a destructive step whose approval count is 0', async () => {
    await expectOneErrorAt(
      'velero-namespace-restore.yaml',
      'approval: { count: 1, from: [approvers], allowRequester: false, expiresIn: 15m }',
      'approval: { count: 0 }',
      /destructive step needs at least one approval/,
    );
  });

  it('choices listed by an action that lists none', async () => {
    const error = await expectOneErrorAt(
      'velero-namespace-restore.yaml',
      'choicesFrom: { action: velero.list-backups, with: { cluster: primary } }',
      'choicesFrom: { action: velero.latest-backup, with: { cluster: primary } }',
      /"velero.latest-backup" lists no choices/,
    );
    expect(error.hint).toMatch(/velero\.list-backups/);
  });

  it('choices listed from params, which are not known while they are being asked for', async () => {
    const error = await expectOneErrorAt(
      'velero-namespace-restore.yaml',
      'choicesFrom: { action: velero.list-backups, with: { cluster: primary } }',
      'choicesFrom: { action: velero.list-backups, with: { cluster: primary, namespace: "{{ params.namespace }}" } }',
      /params are not known yet/,
    );
    expect(error.hint).toMatch(/fixed inputs/);
  });

  it('choices on a param type that cannot take them', async () => {
    await expectOneErrorAt(
      'velero-namespace-restore.yaml',
      'healthUrl: { type: url, prompt:',
      'healthUrl: { type: url, choicesFrom: { action: velero.list-backups }, prompt:',
      /unknown key "choicesFrom"/,
      'healthUrl:',
    );
  });

  it('a template naming an unknown param', async () => {
    const error = await expectOneErrorAt(
      'velero-namespace-restore.yaml',
      'namespaces: ["{{ params.namespace }}"]',
      'namespaces: ["{{ params.namespce }}"]',
      /unknown param "namespce"/,
    );
    expect(error.hint).toMatch(/params\.namespace/);
  });

  it('a template naming a step that has not run yet', async () => {
    await expectOneErrorAt(
      'etcd-snapshot-restore.yaml',
      'file: "{{ workdir }}/snapshot.db"\n    idempotent: true\n    timeout: 30m',
      'file: "{{ steps.integrity.result.totalKey }}"\n    idempotent: true\n    timeout: 30m',
      /steps\.integrity has not run yet/,
      'steps.integrity.result.totalKey',
    );
  });

  it('a template naming an unknown check or result field', async () => {
    await expectOneErrorAt(
      'etcd-snapshot-restore.yaml',
      'checks.latest-snapshot.result.key }}"',
      'checks.latest-snapshot.result.kee }}"',
      /gives no result field "kee"/,
    );
  });

  it('a template inside a sh -c script', async () => {
    await expectOneErrorAt(
      'control-plane-recovery.yaml',
      'command: [kubectl, --context, "{{ cluster.primary.context }}", get, --raw, "/readyz?verbose"]',
      'command: [sh, -c, "kubectl --context {{ cluster.primary.context }} get --raw /readyz"]',
      /template inside a "sh -c" script/,
    );
  });

  const READYZ =
    'command: [kubectl, --context, "{{ cluster.primary.context }}", get, --raw, "/readyz?verbose"]';
  it.each([
    ['command: [bash, -ec, \'curl "{{ params.checkNamespace }}"\']', /"bash -ec" script/],
    ['command: [env, sh, -c, "kubectl get ns {{ params.checkNamespace }}"]', /"env → sh -c" script/],
    [
      'command: [env, -i, A=1, timeout, 30s, sh, -xc, "echo {{ params.checkNamespace }}"]',
      /"env → timeout → sh -xc"/,
    ],
    ['command: [sudo, -u, root, bash, -cex, "echo {{ params.checkNamespace }}"]', /"sudo → bash -cex"/],
    ['command: [busybox, sh, -c, "echo {{ params.checkNamespace }}"]', /"busybox → sh -c"/],
    ['command: [xargs, -n, "1", sh, -c, "echo {{ params.checkNamespace }}"]', /"xargs → sh -c"/],
    ['command: [python3, -c, "print(\'{{ params.checkNamespace }}\')"]', /"python3? -c" script/],
    ['command: [perl, -e, "print q({{ params.checkNamespace }})"]', /"perl -e" script/],
    ['command: [node, -e, "console.log(\'{{ params.checkNamespace }}\')"]', /"node -e" script/],
    ['command: [awk, "BEGIN { print \\"{{ params.checkNamespace }}\\" }"]', /"awk program" script/],
  ])('a template inside a script: %s', async (to, message) => {
    const error = await expectOneErrorAt('control-plane-recovery.yaml', READYZ, to, message);
    expect(error.message).toMatch(/could inject commands/);
    expect(error.hint).toMatch(/own argument/);
  });

  it('a template as its own argument after the script, or in env, is clean', async () => {
    for (const to of [
      'command: [sh, -c, \'kubectl get ns "$1"\', sh, "{{ params.checkNamespace }}"]',
      'command: [env, "NS={{ params.checkNamespace }}", sh, -c, \'kubectl get ns "$NS"\']',
      'command: [python3, -c, "import sys; print(sys.argv[1])", "{{ params.checkNamespace }}"]',
    ]) {
      await folder.edit('control-plane-recovery.yaml', READYZ, to);
      const library = await loadRunbooks(folder.dir);
      expect(library.findings.filter((f) => f.severity === 'error')).toEqual([]);
      await folder.edit('control-plane-recovery.yaml', to, READYZ);
    }
  });

  it('a template naming the program a wrapper runs', async () => {
    await expectOneErrorAt(
      'control-plane-recovery.yaml',
      READYZ,
      'command: [env, A=1, "{{ params.checkNamespace }}", get]',
      /the program that env runs cannot come from a template/,
    );
  });

  it('an unknown action, even where it is only a verification', async () => {
    const error = await expectOneErrorAt(
      'velero-namespace-restore.yaml',
      'action: k8s.workloads-ready',
      'action: k8s.workload-ready',
      /unknown action "k8s.workload-ready"/,
    );
    expect(error.hint).toMatch(/k8s\.workloads-ready/);
  });

  it('a runbook without a step that restores the service', async () => {
    await expectOneErrorAt(
      'region-failover.yaml',
      '    restoresService: true\n',
      '\n',
      /no step has restoresService/,
      'steps:',
    );
  });

  it('duplicate ids across files', async () => {
    const errors = await errorsAfter(
      'backup-health-check.yaml',
      'id: backup-health-check',
      'id: region-failover',
    );
    expect(errors.map((e) => `${path.basename(e.file)}:${e.line}: ${e.message}`)).toEqual([
      'decision-tree.yaml:26: runbook "backup-health-check" does not exist',
      'region-failover.yaml:4: runbook id "region-failover" is used by another file too',
    ]);
  });

  it('an unknown next node and an unknown runbook in the tree', async () => {
    await expectOneErrorAt(
      'decision-tree.yaml',
      'runbook: control-plane-recovery',
      'runbook: control-plane-recover',
      /runbook "control-plane-recover" does not exist/,
    );
  });

  it('an unreachable node', async () => {
    const errors = await errorsAfter(
      'decision-tree.yaml',
      '        next: standby\n',
      '        runbook: region-failover\n',
    );
    expect(errors.map((e) => e.message)).toEqual(['node "standby" cannot be reached from "scope"']);
  });

  it('a cycle', async () => {
    const errors = await errorsAfter(
      'decision-tree.yaml',
      '        runbook: control-plane-recovery\n',
      '        next: scope\n',
    );
    expect(errors.map((e) => e.message)).toEqual(['"etcd-state" → "scope" closes a cycle']);
  });

  it('duplicate option labels and labels longer than a button allows', async () => {
    const duplicate = await errorsAfter(
      'decision-tree.yaml',
      'label: The control-plane machines themselves are gone',
      'label: etcd answers and its data is intact',
    );
    expect(duplicate.map((e) => e.message)).toEqual([
      expect.stringMatching(/two options of "etcd-state" read/),
    ]);
    await folder.edit(
      'decision-tree.yaml',
      'label: etcd answers and its data is intact',
      `label: ${'x'.repeat(76)}`,
    );
    const long = (await loadRunbooks(folder.dir)).findings.filter((f) => f.severity === 'error');
    expect(long.map((e) => e.message)).toContainEqual(expect.stringMatching(/at most 75 characters/));
  });

  it('a missing required key names the key', async () => {
    const error = await expectOneErrorAt(
      'region-failover.yaml',
      'scenario: Full region failure (active-passive)\n',
      '',
      /scenario: required key is missing/,
      'apiVersion',
    );
    expect(error.hint).toMatch(/add "scenario:"/);
  });

  it('malformed YAML, an empty file and a binary file each get one clear error, and the rest still loads', async () => {
    await folder.edit(
      'region-failover.yaml',
      'targets: { rto: 1h, rpo: 15m }',
      'targets: { rto: 1h, rpo: [15m }',
    );
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(folder.dir, 'empty.yaml'), '');
    await writeFile(path.join(folder.dir, 'image.yml'), Buffer.from([0, 1, 2, 3]));
    const library = await loadRunbooks(folder.dir);
    const messages = library.findings.map((f) => `${path.basename(f.file)}: ${f.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^region-failover\.yaml: YAML: /));
    expect(messages).toContainEqual('empty.yaml: file is empty');
    expect(messages).toContainEqual('image.yml: this is a binary file, not YAML');
    expect(library.runbooks.has('etcd-snapshot-restore')).toBe(true);
  });
});
