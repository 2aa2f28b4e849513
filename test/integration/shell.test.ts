import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRegistry } from '../../src/actions/registry.js';
import { shell } from '../../src/actions/shell.js';
import { validateParams } from '../../src/domain/params.js';
import type { ParamSpec } from '../../src/domain/runbook.js';
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
    const hostile = '; rm -rf / $(touch pwned) `touch pwned2` -- --force';
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

  it('keeps the head and the tail of output over 1 MiB and says what was cut', async () => {
    const outcome = await run([
      'sh',
      '-c',
      'echo THE-START; head -c 2000000 /dev/zero | tr "\\0" x; echo; echo THE-END',
    ]);
    const stdout = String(outcome.result.stdout);
    expect(stdout.length).toBeLessThan(1024 * 1024 + 200);
    expect(stdout.startsWith('THE-START\n')).toBe(true);
    expect(stdout).toMatch(
      /\n\[… \d+ characters cut from the middle; the first 65536 and the last 983040 are kept …\]\n/,
    );
    expect(stdout.endsWith('THE-END\n')).toBe(true);
  });
});

const exists = (file: string): Promise<boolean> =>
  access(path.join(workdir, file)).then(
    () => true,
    () => false,
  );

describe('no injection into a script at run time, even from a runbook that skipped lint', () => {
  const values = { 'params.healthUrl': 'http://x.example/$(touch pwned)' };
  it.each([
    [['bash', '-ec', 'touch ran; echo "{{ params.healthUrl }}"'], 'bash -ec'],
    [['env', 'sh', '-c', 'touch ran; echo {{ params.healthUrl }}'], 'env → sh -c'],
    [['env', '-i', 'A=1', 'timeout', '30s', 'sh', '-xc', 'touch ran; echo {{ params.healthUrl }}'], 'sh -xc'],
    [['nice', '-n', '5', 'dash', '-c', 'touch ran; echo {{ params.healthUrl }}'], 'nice → dash -c'],
    [['/usr/bin/python3', '-c', 'open("ran", "w"); print("{{ params.healthUrl }}")'], 'python3 -c'],
    [['perl', '-e', 'open(F, ">ran"); print "{{ params.healthUrl }}"'], 'perl -e'],
    [
      [
        process.execPath,
        '-e',
        'require("fs").writeFileSync("ran", ""); console.log("{{ params.healthUrl }}")',
      ],
      'node -e',
    ],
  ])('%j is refused before it spawns', async (command, via) => {
    const outcome = await run(command, { values });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toContain(`a template inside a "`);
    expect(outcome.error).toContain(via);
    expect(outcome.error).toMatch(/could inject commands; pass the value as its own argument/);
    expect(await exists('ran')).toBe(false);
    expect(await exists('pwned')).toBe(false);
  });

  it('runs the same value given as "$1": the script sees it as data', async () => {
    const outcome = await run(['sh', '-c', 'printf "%s" "$1"', 'sh', '{{ params.healthUrl }}'], { values });
    expect(outcome).toMatchObject({ passed: true, result: { stdout: values['params.healthUrl'] } });
    expect(await exists('pwned')).toBe(false);
  });

  it('refuses an env value with a NUL byte before spawning', async () => {
    const outcome = await run(['env'], { env: { TOKEN: 'a\u0000b' } });
    expect(outcome).toMatchObject({ passed: false, error: 'refused to run env: env TOKEN holds a NUL byte' });
  });

  it('refuses a filled value with a line break, naming the argument', async () => {
    const outcome = await run(['printf', '%s', '{{ steps.list.result.stdout }}'], {
      values: { 'steps.list.result.stdout': 'ns-a\n--all' },
    });
    expect(outcome).toMatchObject({
      passed: false,
      error:
        'refused to run printf: argument 2 holds a line break or control character; give the value on one line, without control characters',
    });
  });
});

describe('hostile values for every param type, through a real child process', () => {
  const SPECS: Record<string, ParamSpec> = {
    // A careless author's pattern: lets anything through to the argv checks.
    string: { type: 'string', pattern: '^[\\s\\S]+$', prompt: 'Anything' },
    k8sName: { type: 'k8sName', prompt: 'Namespace' },
    enum: { type: 'enum', values: ['primary', 'standby'], prompt: 'Cluster' },
    int: { type: 'int', max: 100, prompt: 'Offset' },
    duration: { type: 'duration', prompt: 'Wait' },
    url: { type: 'url', prompt: 'Health URL' },
  };
  const HOSTILE = [
    '$(touch pwned)',
    '`touch pwned`',
    '; rm -rf pwned-dir; touch pwned',
    `--output=${path.join(os.tmpdir(), 'lifeboat-shell-pwned')}`,
    '--output=/etc/x',
    'ns\n--all; touch pwned',
    'ns\u0000--all',
    'x'.repeat(10_000),
    'ünïcödé ✓ 😀 \u202e',
    '-5',
    '15m; touch pwned',
    'http://x.example/$(touch pwned)',
    "http://x.example/`touch pwned`?q=';touch pwned;'",
    'http://admin:hunter2@x.example/',
    'http://0xa9fea9fe/latest/meta-data/',
    'file:///etc/passwd',
  ];
  const REACHING: Record<string, number> = { string: 13, k8sName: 0, enum: 0, int: 1, duration: 0, url: 3 };
  const PRINT_ARGV = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))';

  it.each(Object.keys(SPECS))(
    '%s: each value is refused with a message, or reaches the child exactly',
    async (type) => {
      const spec = SPECS[type] as ParamSpec;
      let reached = 0;
      for (const hostile of HOSTILE) {
        const checked = validateParams({ v: spec }, { v: hostile });
        if ('errors' in checked) {
          expect(checked.errors).toEqual([{ param: 'v', why: expect.stringMatching(/.+/) }]);
          if (type === 'url') expect(JSON.stringify(checked.errors)).not.toContain('hunter2');
          continue;
        }
        reached++;
        const value = String(checked.values.v);
        const values = { 'params.v': value };
        // As data: the child's argv is the value, byte for byte.
        const printed = await run([process.execPath, '-e', PRINT_ARGV, '--', '{{ params.v }}'], { values });
        expect(printed.passed).toBe(true);
        expect(JSON.parse(String(printed.result.stdout))).toEqual([value]);
        // As "$1" of a shell script: still data.
        const shelled = await run(['sh', '-c', 'printf "%s" "$1"', 'sh', '{{ params.v }}'], { values });
        expect(shelled.result.stdout).toBe(value);
        // Where the program reads options, a leading "-" is refused before sort could write --output.
        const sorted = await run(['sort', '{{ params.v }}'], { values });
        if (value.startsWith('-'))
          expect(sorted.error).toMatch(/^refused to run sort: argument 1 starts with "-"/);
        else expect(sorted.error ?? '').not.toMatch(/refused/);
      }
      // What gets past the param's own check: the careless string all but three, an int's "-5", three http URLs.
      expect(reached).toBe(REACHING[type]);
      expect(await exists('pwned')).toBe(false);
      await expect(access(path.join(os.tmpdir(), 'lifeboat-shell-pwned'))).rejects.toThrow();
    },
  );

  it('a url param is re-serialised: encoded hosts come out canonical, credentials and other schemes are refused', () => {
    const url = (raw: string) => validateParams({ v: SPECS.url as ParamSpec }, { v: raw });
    expect(url('http://0xa9fea9fe/latest/')).toEqual({ values: { v: 'http://169.254.169.254/latest/' } });
    expect(url('HTTP://X.Example/a b')).toEqual({ values: { v: 'http://x.example/a%20b' } });
    expect(url('http://admin:hunter2@x.example/')).toEqual({
      errors: [
        {
          param: 'v',
          why: 'must not hold a user name or password: give credentials through the environment',
        },
      ],
    });
    expect(url('file:///etc/passwd')).toEqual({
      errors: [{ param: 'v', why: expect.stringMatching(/must be an http or https URL/) }],
    });
  });
});
