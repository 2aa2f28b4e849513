import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { implement } from '../contract.js';
import { inWorkdir, parseJson, snapshotTool } from './etcdctl.js';
import { notRun, runTool, toolError } from '../run-tool.js';
import { snapshotStatusContract } from './snapshot-status-contract.js';

const Reported = z.object({
  hash: z.number(),
  revision: z.number(),
  totalKey: z.number(),
  totalSize: z.number(),
});

export const snapshotStatus = implement(snapshotStatusContract, async (input, context) => {
  const file = inWorkdir(context, input.file);
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile())
    return { completed: false, result: {}, error: `snapshot file ${file} does not exist` };
  const tool = await snapshotTool();
  const run = await runTool(tool, ['snapshot', 'status', file, '-w', 'json'], context, {
    ETCDCTL_API: '3',
  });
  const failed = notRun(tool, run, context.timeoutMs);
  if (failed) return { completed: false, result: {}, error: failed };
  const reported = Reported.safeParse(parseJson(run.stdout));
  if (run.exitCode !== 0 || !reported.success)
    return { completed: false, result: {}, error: toolError(tool, run) };
  const { hash, revision, totalKey, totalSize } = reported.data;
  return { completed: true, result: { hash, revision, totalKey, totalSize, tool } };
});
