import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { actionContract, implement } from '../contract.js';
import { checkHealth } from './endpoint-health.js';
import { accessArgs, accessInput, commandTimeout, etcdctl, inWorkdir, resolveAccess } from './etcdctl.js';
import { notRun, toolError } from '../run-tool.js';

/**
 * A snapshot comes from one member: the first healthy endpoint, in configured order. etcdctl applies
 * its command timeout to the whole transfer, so the save gets nearly all of the step's time.
 */
export const snapshotSaveContract = actionContract({
  name: 'etcd.snapshot-save',
  summary: 'Save an etcd snapshot to a file',
  readOnly: false,
  input: z.strictObject({
    cluster: accessInput.cluster.describe('cluster whose etcd to use (config clusters.NAME.etcd)'),
    endpoints: accessInput.endpoints.describe('etcd endpoints, instead of cluster'),
    file: z.string().min(1).describe('snapshot file path'),
  }),
  result: {
    file: 'snapshot path',
    size: 'bytes',
    endpoint: 'the member it was saved from',
    durationMs: 'how long the action took',
  },
});

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
