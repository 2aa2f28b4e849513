import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { implement } from '../contract.js';
import { checkHealth } from './endpoint-health.js';
import { accessArgs, commandTimeout, etcdctl, inWorkdir, resolveAccess } from './etcdctl.js';
import { notRun, toolError } from '../run-tool.js';
import { snapshotSaveContract } from './snapshot-save-contract.js';

export const snapshotSave = implement(snapshotSaveContract, async (input, context) => {
  const started = Date.now();
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const file = inWorkdir(context, input.file);
  const checked = await checkHealth(resolved.access, context);
  if ('error' in checked) return { completed: false, result: {}, error: checked.error };
  const member = checked.endpoints.find((endpoint) => endpoint.healthy);
  if (!member) {
    const why = checked.endpoints.map((e) => `${e.endpoint}: ${e.error ?? 'unhealthy'}`).join('; ');
    return { completed: false, result: {}, error: `no healthy etcd endpoint to save from (${why})` };
  }
  context.progress(`saving a snapshot from ${member.endpoint}`);
  await mkdir(path.dirname(file), { recursive: true });
  const args = [
    ...accessArgs({ ...resolved.access, endpoints: [member.endpoint] }),
    commandTimeout(context, Number.MAX_SAFE_INTEGER),
    'snapshot',
    'save',
    file,
  ];
  const run = await etcdctl(args, context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { completed: false, result: {}, error: failed };
  if (run.exitCode !== 0) return { completed: false, result: {}, error: toolError('etcdctl', run) };
  const { size } = await stat(file);
  return {
    completed: true,
    result: { file, size, endpoint: member.endpoint, durationMs: Date.now() - started },
  };
});
