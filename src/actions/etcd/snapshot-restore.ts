import { mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ActionContext, ActionOutcome } from '../../engine/action-port.js';
import { defineAction } from '../registry.js';
import { inWorkdir, restoreCanBump, snapshotTool } from './etcdctl.js';
import { notRun, runTool, toolError, type ToolRun } from '../run-tool.js';

const DEFAULT_BUMP = 1_000_000_000;
const MARKER = '.lifeboat-restore.json';

const Input = z.strictObject({
  file: z.string().min(1),
  initialCluster: z.string().min(1),
  dataDirRoot: z.string().min(1),
  token: z.string().min(1).optional(),
  // Templates render to strings, so "1000000000" counts as a number too.
  bumpRevision: z
    .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)])
    .optional(),
});

/** NAME=URL pairs grouped by name (a member may list several peer URLs); names become folder names. */
function parseMembers(initialCluster: string): Map<string, string[]> | string {
  const members = new Map<string, string[]>();
  for (const pair of initialCluster.split(',').map((part) => part.trim())) {
    const [name = '', url = '', ...rest] = pair.split('=');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || rest.length > 0 || !/^https?:\/\/[^\s,]+$/.test(url))
      return `initialCluster: "${pair}" is not NAME=http(s)://HOST:PORT`;
    members.set(name, [...(members.get(name) ?? []), url]);
  }
  return members;
}

async function dirState(dir: string): Promise<'absent' | 'empty' | 'used'> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return entries === undefined ? 'absent' : entries.length === 0 ? 'empty' : 'used';
}

/**
 * Every member is restored from the same snapshot into `dataDirRoot/NAME.etcd`. Each restore writes
 * to a hidden partial folder and all are renamed at the end, so an interruption never leaves a
 * data dir that looks complete; a marker lets a re-run of the same restore succeed without work.
 */
export const snapshotRestore = defineAction({
  input: Input,
  async run(input, context): Promise<ActionOutcome> {
    const started = Date.now();
    const fail = (error: string): ActionOutcome => ({ completed: false, result: {}, error });
    const file = inWorkdir(context, input.file);
    const snapshot = await stat(file).catch(() => undefined);
    if (!snapshot?.isFile()) return fail(`snapshot file ${file} does not exist`);
    const members = parseMembers(input.initialCluster);
    if (typeof members === 'string') return fail(members);
    const initialCluster = [...members]
      .flatMap(([name, urls]) => urls.map((url) => `${name}=${url}`))
      .join(',');
    const tool = await snapshotTool();
    const canBump = await restoreCanBump(tool, context);
    const bump = input.bumpRevision ?? (canBump ? DEFAULT_BUMP : 0);
    if (bump > 0 && !canBump)
      return fail(
        `${tool} here cannot bump the revision (needs etcdutl or etcd 3.5+); set bumpRevision: 0 to restore without it`,
      );
    const token = input.token ?? `lifeboat-restore-${context.incidentId}`;
    const root = inWorkdir(context, input.dataDirRoot);
    const dataDirs = Object.fromEntries(
      [...members.keys()].map((name) => [name, path.join(root, `${name}.etcd`)]),
    );
    const result = { dataDirs, tool, token, bumpRevision: bump, markCompacted: bump > 0 };
    const fingerprint = JSON.stringify({
      file,
      size: snapshot.size,
      mtimeMs: snapshot.mtimeMs,
      initialCluster,
      token,
      bump,
    });

    await mkdir(root, { recursive: true });
    const states = await Promise.all(Object.values(dataDirs).map(dirState));
    const marker = await readFile(path.join(root, MARKER), 'utf8').catch(() => '');
    if (states.every((state) => state === 'used') && marker === fingerprint)
      return { completed: true, result: { ...result, reused: true, durationMs: Date.now() - started } };
    const used = Object.values(dataDirs).filter((_, i) => states[i] === 'used');
    if (used.length > 0)
      return fail(
        `data dir ${used.join(', ')} already exists and is not empty: move it away first, a restore never writes into existing data`,
      );

    const partials: string[] = [];
    const cleanUp = () => Promise.all(partials.map((dir) => rm(dir, { recursive: true, force: true })));
    for (const [name, urls] of members) {
      const partial = path.join(root, `.${name}.etcd.partial`);
      partials.push(partial);
      await rm(partial, { recursive: true, force: true });
      context.progress(`restoring member ${name} with ${tool}`);
      const run = await restoreOne(tool, context, { file, name, partial, urls, initialCluster, token, bump });
      const failed = notRun(tool, run, context.timeoutMs);
      if (failed !== undefined || run.exitCode !== 0) {
        await cleanUp();
        return fail(
          run.ended === 'missing' ? String(failed) : `member ${name}: ${failed ?? toolError(tool, run)}`,
        );
      }
    }
    for (const [i, [name]] of [...members].entries()) {
      const target = dataDirs[name] ?? '';
      if (states[i] === 'empty') await rmdir(target);
      await rename(partials[i] ?? '', target);
    }
    await writeFile(path.join(root, MARKER), fingerprint);
    return { completed: true, result: { ...result, reused: false, durationMs: Date.now() - started } };
  },
});

/** One member's restore into its partial folder. */
async function restoreOne(
  tool: 'etcdutl' | 'etcdctl',
  context: ActionContext,
  member: {
    file: string;
    name: string;
    partial: string;
    urls: string[];
    initialCluster: string;
    token: string;
    bump: number;
  },
): Promise<ToolRun> {
  const args = [
    'snapshot',
    'restore',
    member.file,
    `--data-dir=${member.partial}`,
    `--name=${member.name}`,
    `--initial-cluster=${member.initialCluster}`,
    `--initial-advertise-peer-urls=${member.urls.join(',')}`,
    `--initial-cluster-token=${member.token}`,
    ...(member.bump > 0 ? [`--bump-revision=${member.bump}`, '--mark-compacted'] : []),
  ];
  return runTool(tool, args, context, { ETCDCTL_API: '3' });
}
