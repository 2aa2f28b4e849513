import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { actionContract, implement } from '../../src/actions/contract.js';
import { createRegistry } from '../../src/actions/registry.js';
import { shell } from '../../src/actions/shell.js';
import { runCall, unattended, type CallSpec } from '../../src/engine/run-call.js';

let workdir = '';
beforeEach(async () => {
  workdir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-run-call-'));
});
afterEach(async () => {
  await rm(workdir, { recursive: true, force: true });
});

/** An action that changes things and reports the timeout it was given. */
const scaleLike = implement(
  actionContract({
    name: 'test.change',
    summary: 'Changes something',
    readOnly: false,
    timeout: '3m',
    input: z.strictObject({}),
    result: { timeoutMs: 'the timeout it was given' },
  }),
  (_input, context) => Promise.resolve({ completed: true, result: { timeoutMs: context.timeoutMs } }),
);
const registry = createRegistry([shell, scaleLike]);

const run = (call: CallSpec) =>
  runCall(registry, call, () => undefined, {
    incidentId: 'INC-7',
    workdir,
    signal: new AbortController().signal,
    progress: () => undefined,
    cluster: () => undefined,
  });
const touched = () =>
  stat(path.join(workdir, 'touched')).then(
    () => true,
    () => false,
  );
const touch = { action: 'shell', with: { command: ['touch', 'touched'] } };

describe('a call gets its action’s timeout when it names none', () => {
  it('takes the contract’s, and the call’s own when it names one', async () => {
    expect((await run({ action: 'test.change' })).result).toEqual({ timeoutMs: 180_000 });
    expect((await run({ action: 'test.change', timeout: '20s' })).result).toEqual({ timeoutMs: 20_000 });
  });
});

describe('a call nobody approves runs only actions that read, even when lint was skipped', () => {
  it('refuses a shell command in a check that is not marked readOnly, before it runs', async () => {
    const outcome = await run(unattended(touch));
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toBe(
      "refused to run shell: it can change things, and probes, checks, verifications and choice lists run without anyone's approval; make it a step, or mark it readOnly: true if it only reads",
    );
    expect(await touched()).toBe(false);
  });

  it('runs the shell command its author marked readOnly: true', async () => {
    const outcome = await run(unattended({ ...touch, readOnly: true }));
    expect(outcome.passed).toBe(true);
    expect(await touched()).toBe(true);
  });

  it('refuses an action that changes things whatever the call says of itself', async () => {
    const outcome = await run(unattended({ action: 'test.change', readOnly: true }));
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/^refused to run test.change: it can change things.*make it a step$/);
  });

  it('runs the same calls as an approved step', async () => {
    expect((await run(touch)).passed).toBe(true);
    expect(await touched()).toBe(true);
    expect((await run({ action: 'test.change' })).passed).toBe(true);
  });
});

describe('manual work is never run', () => {
  it('answers a manual rollback with its instructions, for a person to do by hand', async () => {
    const outcome = await run({ action: 'manual', with: { instructions: 'Delete the namespace.' } });
    expect(outcome).toMatchObject({
      passed: false,
      error:
        'manual work is done by a person, not by Lifeboat: do it by hand ("Delete the namespace.") and say so in the thread',
    });
  });
});
