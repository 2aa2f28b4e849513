import { filledArgProblems, templatedCode } from '../domain/argv.js';
import type { ActionContext } from '../engine/action-port.js';
import { implement } from './contract.js';
import { notRun, runTool } from './run-tool.js';
import { shellContract } from './shell-contract.js';

/** Output kept per stream: mostly the tail, where the error usually is, and the head, where the command said what it set out to do. */
export const OUTPUT_CAP = 1024 * 1024;

const HEAD = 64 * 1024;

function tail(text: string): string {
  if (text.length <= OUTPUT_CAP) return text;
  const cut = text.length - OUTPUT_CAP;
  return `${text.slice(0, HEAD)}\n[… ${cut} characters cut from the middle; the first ${HEAD} and the last ${OUTPUT_CAP - HEAD} are kept …]\n${text.slice(-(OUTPUT_CAP - HEAD))}`;
}

/** Lint's rule again, before anything spawns: a runbook that skipped lint cannot inject into a script either. */
function refusal(command: readonly string[], context: ActionContext): string | undefined {
  const written = context.written?.command;
  // Called without a runbook (no templates were filled): every argument is as its caller wrote it.
  if (!Array.isArray(written))
    return command.some((arg) => arg.includes('\u0000'))
      ? `refused to run ${command[0] ?? ''}: an argument holds a NUL byte`
      : undefined;
  const source = written.map(String);
  const [problem] = [...templatedCode(source), ...filledArgProblems(source, command)];
  return problem && `refused to run ${command[0] ?? ''}: ${problem.message}; ${problem.hint}`;
}

/** Runs an argv list without a shell; only the listed environment plus PATH and HOME reach it. */
export const shell = implement(shellContract, async ({ command, env, cwd }, context) => {
  const [program = '', ...args] = command;
  const nul = Object.keys(env ?? {}).find((name) => env?.[name]?.includes('\u0000'));
  const refused =
    refusal(command, context) ?? (nul && `refused to run ${program}: env ${nul} holds a NUL byte`);
  if (refused) return { completed: false, result: {}, error: refused };
  const run = await runTool(program, args, { ...context, workdir: cwd ?? context.workdir }, env);
  const result = {
    exitCode: run.exitCode,
    stdout: tail(run.stdout),
    stderr: tail(run.stderr),
    durationMs: run.durationMs,
  };
  const failed = notRun(program, run, context.timeoutMs);
  if (failed) return { completed: false, result, error: failed };
  return {
    completed: true,
    result,
    ...(run.exitCode === 0 ? {} : { error: `${program} exited with ${run.exitCode}` }),
  };
});
