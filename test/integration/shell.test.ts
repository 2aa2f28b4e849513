import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRegistry } from '../../src/actions/registry.js';
import { shell } from '../../src/actions/shell.js';
import { runCall } from '../../src/engine/run-call.js';
import { eventually } from '../support/eventually.js';

let workdir = '';
beforeAll(async () => {
  workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-shell-'));
});
afterAll(() => rm(workdir, { recursive: true, force: true }));

const registry = createRegistry({ shell });
const scope = (values: Record<string, string>) => (p: readonly string[]) => values[p.join('.')];
const run = (
  command: string[],
  options: {
    env?: Record<string, string>;
    timeout?: string;
    values?: Record<string, string>;
    expect?: Record<string, unknown>;
  } = {},
) =>
  runCall(
    registry,
    {
      action: 'shell',
      with: { command, ...(options.env ? { env: options.env } : {}) },
      ...(options.timeout ? { timeout: options.timeout } : {}),
      ...(options.expect ? { expect: options.expect as never } : {}),
    },
    scope({ workdir, ...options.values }),
    {
      incidentId: 'inc-1',
      workdir,
      signal: new AbortController().signal,
      progress: () => undefined,
      cluster: () => undefined,
    },
  );

describe('the shell action', () => {
  it('passes a hostile parameter to the program as one literal argument', async () => {
    const hostile = '; rm -rf / $(touch pwned) `touch pwned2`\n-- --force';
    const outcome = await run(['printf', '%s|', '{{ params.ns }}', 'next'], {
      values: { 'params.ns': hostile },
    });
    expect(outcome.passed).toBe(true);
    expect(outcome.result.stdout).toBe(`${hostile}|next|`);
    await expect(readFile(path.join(workdir, 'pwned'))).rejects.toThrow();
  });

  it('gives the process only the variables the step lists, plus PATH and HOME', async () => {
    process.env.LIFEBOAT_TEST_SECRET = 'must-not-leak';
    const outcome = await run(['env'], { env: { ETCDCTL_API: '3' } });
    delete process.env.LIFEBOAT_TEST_SECRET;
    const names = String(outcome.result.stdout)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=')[0])
      .sort();
    expect(names).toEqual(['ETCDCTL_API', 'HOME', 'PATH']);
  });

  it('says which program is missing instead of a stack trace', async () => {
    const outcome = await run(['etcdctl-that-does-not-exist', 'version']);
    expect(outcome).toMatchObject({ passed: false, error: 'etcdctl-that-does-not-exist not found on PATH' });
  });

  it('fails on a non-zero exit unless expect says otherwise', async () => {
    expect(await run(['sh', '-c', 'exit 3'])).toMatchObject({
      passed: false,
      error: 'sh exited with 3',
      result: { exitCode: 3 },
    });
    expect(await run(['sh', '-c', 'exit 3'], { expect: { exitCode: 3 } })).toMatchObject({ passed: true });
  });

  it('on timeout stops the whole process tree, grandchildren included', async () => {
    const pidFile = path.join(workdir, 'grandchild.pid');
    const outcome = await run(['sh', '-c', 'sleep 30 & echo $! > "$1"; wait', '_', pidFile], {
      timeout: '1s',
    });
    expect(outcome).toMatchObject({ passed: false, error: 'sh did not finish within 1s and was stopped' });
    const pid = Number(await readFile(pidFile, 'utf8'));
    await eventually(
      () => {
        try {
          process.kill(pid, 0);
          return Promise.resolve(false);
        } catch {
          return Promise.resolve(true);
        }
      },
      'the grandchild to be gone',
      5000,
    );
  });

  it('refuses input that is not an argv list', async () => {
    const outcome = await runCall(registry, { action: 'shell', with: { command: 'rm -rf /' } }, scope({}), {
      incidentId: 'i',
      workdir,
      signal: new AbortController().signal,
      progress: () => undefined,
      cluster: () => undefined,
    });
    expect(outcome).toMatchObject({
      passed: false,
      error: expect.stringMatching(/^shell: invalid input \(command: /),
    });
  });

  it('reports progress while it runs: elapsed time and the last line printed, at most every two seconds', async () => {
    const lines: string[] = [];
    const outcome = await runCall(
      registry,
      {
        action: 'shell',
        with: { command: ['sh', '-c', 'echo starting restore; sleep 2.2; echo 120 of 300 items; sleep 0.3'] },
      },
      scope({}),
      {
        incidentId: 'i',
        workdir,
        signal: new AbortController().signal,
        progress: (line) => void lines.push(line),
        cluster: () => undefined,
      },
    );
    expect(outcome.passed).toBe(true);
    expect(lines).toEqual([
      expect.stringMatching(/^0s: starting restore$/),
      expect.stringMatching(/^2s: 120 of 300 items$/),
    ]);
  });

  it('keeps the tail of output over 1 MiB and marks the cut', async () => {
    const outcome = await run(['sh', '-c', 'head -c 2000000 /dev/zero | tr "\\0" x; echo; echo THE-END']);
    const stdout = String(outcome.result.stdout);
    expect(stdout.length).toBeLessThan(1024 * 1024 + 100);
    expect(stdout).toMatch(/^\[… \d+ bytes cut …\]\n/);
    expect(stdout.endsWith('THE-END\n')).toBe(true);
  });
});
