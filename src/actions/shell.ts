import { execa } from 'execa';
import { z } from 'zod';
import { defineAction } from './registry.js';

/** Output kept per stream: the tail, where the error usually is. */
export const OUTPUT_CAP = 1024 * 1024;

const Input = z.strictObject({
  command: z.array(z.string()).min(1),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
  cwd: z.string().optional(),
});

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function tail(text: string): string {
  return text.length <= OUTPUT_CAP
    ? text
    : `[… ${text.length - OUTPUT_CAP} bytes cut …]\n${text.slice(-OUTPUT_CAP)}`;
}

/** Runs an argv list without a shell; only the listed environment plus PATH and HOME reach it. */
export const shell = defineAction({
  input: Input,
  async run({ command, env, cwd }, context) {
    const [program = '', ...args] = command;
    const started = Date.now();
    // Its own process group, so a timeout or a stop reaches the grandchildren too (sh -c 'sleep …').
    const child = execa(program, args, {
      cwd: cwd ?? context.workdir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', ...env },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      detached: true,
      maxBuffer: 16 * OUTPUT_CAP,
      stripFinalNewline: false,
    });
    let stopped: 'timeout' | 'cancel' | undefined;
    const stop = (why: 'timeout' | 'cancel'): void => {
      stopped ??= why;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000).unref();
    };
    const onAbort = (): void => stop('cancel');
    if (context.signal.aborted) onAbort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => stop('timeout'), context.timeoutMs);
    const run = await child;
    clearTimeout(timer);
    context.signal.removeEventListener('abort', onAbort);
    const durationMs = Date.now() - started;
    const result = {
      exitCode: run.exitCode ?? -1,
      stdout: tail(String(run.stdout ?? '')),
      stderr: tail(String(run.stderr ?? '')),
      durationMs,
    };
    if ((run as { code?: string }).code === 'ENOENT')
      return { completed: false, result, error: `${program} not found on PATH` };
    if (stopped === 'timeout')
      return {
        completed: false,
        result,
        error: `${program} did not finish within ${Math.round(context.timeoutMs / 1000)}s and was stopped`,
      };
    if (stopped === 'cancel') return { completed: false, result, error: `${program} was stopped` };
    return {
      completed: true,
      result,
      ...(run.exitCode === 0
        ? {}
        : { error: `${program} exited with ${run.exitCode ?? run.signal ?? 'an error'}` }),
    };
  },
});
