import { execa } from 'execa';
import type { ActionContext } from '../engine/action-port.js';

/** How a tool run ended; `exited` includes non-zero exits, which the caller judges. */
export type ToolRun = {
  readonly ended: 'exited' | 'missing' | 'timeout' | 'cancel';
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
};

type RunContext = Pick<ActionContext, 'signal' | 'timeoutMs' | 'workdir'> &
  Partial<Pick<ActionContext, 'progress'>>;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs argv without a shell, with only `env` plus PATH and HOME; its whole process group dies on timeout or cancel. */
export async function runTool(
  program: string,
  args: readonly string[],
  context: RunContext,
  env: Readonly<Record<string, string>> = {},
): Promise<ToolRun> {
  const started = Date.now();
  const child = execa(program, args, {
    cwd: context.workdir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', ...env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    detached: true,
    maxBuffer: 64 * 1024 * 1024,
    stripFinalNewline: false,
  });
  // A live line for the card: the last line the program printed, at most every two seconds.
  let lastReport = 0;
  const onOutput = (chunk: Buffer): void => {
    const line = chunk.toString().trimEnd().split('\n').at(-1)?.slice(0, 200);
    if (!line || !context.progress || Date.now() - lastReport < 2000) return;
    lastReport = Date.now();
    context.progress(`${Math.round((Date.now() - started) / 1000)}s: ${line}`);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
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
  const missing = (run as { code?: string }).code === 'ENOENT';
  return {
    ended: missing ? 'missing' : (stopped ?? 'exited'),
    exitCode: run.exitCode ?? -1,
    stdout: String(run.stdout ?? ''),
    stderr: String(run.stderr ?? ''),
    durationMs: Date.now() - started,
  };
}

/** Why a run could not do its work at all (missing, timed out, stopped), or undefined when it ran to an exit. */
export function notRun(program: string, run: ToolRun, timeoutMs: number): string | undefined {
  switch (run.ended) {
    case 'missing':
      return `${program} not found on PATH`;
    case 'timeout':
      return `${program} did not finish within ${Math.round(timeoutMs / 1000)}s and was stopped`;
    case 'cancel':
      return `${program} was stopped`;
    case 'exited':
      return undefined;
  }
}

/** The tool's own error line ("Error: …") rather than its log noise; capped, since it is stored and posted. */
export function toolError(program: string, run: ToolRun): string {
  const lines = `${run.stderr}\n${run.stdout}`.split('\n').map((line) => line.trim());
  const marked = lines.filter((line) => line.startsWith('Error:')).at(-1);
  const last = marked?.slice('Error:'.length).trim() ?? lines.filter(Boolean).at(-1) ?? '';
  const reason = last.length > 500 ? `${last.slice(0, 500)}…` : last;
  return `${program} exited with ${run.exitCode}${reason ? `: ${reason}` : ''}`;
}
