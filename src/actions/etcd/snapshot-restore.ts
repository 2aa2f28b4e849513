import { mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionContext, ActionOutcome } from '../../engine/action-port.js';
import { implement } from '../contract.js';
import { inWorkdir, majorMinor, resolveAccess, restoreCanBump, snapshotTool } from './etcdctl.js';
import { checkRestoreVersions } from './restore-versions.js';
import { notRun, runTool, toolError, type ToolRun } from '../run-tool.js';
import { snapshotRestoreContract } from './snapshot-restore-contract.js';

const DEFAULT_BUMP = 1_000_000_000;

const MARKER = '.lifeboat-restore.json';

/**
 * NAME=URL pairs grouped by name (a member may list several peer URLs); names become folder names.
 * kubeadm names each member after its node, so a name may be an FQDN (ip-10-0-0-1.ec2.internal).
 */
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
export const snapshotRestore = implement(
  snapshotRestoreContract,
  async (input, context): Promise<ActionOutcome> => {
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
    const access =
      input.cluster !== undefined || input.endpoints !== undefined
        ? resolveAccess(input, context)
        : undefined;
    if (access && 'error' in access) return fail(access.error);
    const tool = await snapshotTool();
    const versions = await checkRestoreVersions(tool, file, access?.access, context);
    if ('error' in versions) return fail(versions.error);
    const bump = input.bumpRevision ?? DEFAULT_BUMP;
    if (bump > 0 && !(await restoreCanBump(tool, context)))
      return fail(cannotBump(tool, versions.toolVersion));
    const token = input.token ?? `lifeboat-restore-${context.incidentId}`;
    const root = inWorkdir(context, input.dataDirRoot);
    const dataDirs = Object.fromEntries(
      [...members.keys()].map((name) => [name, path.join(root, `${name}.etcd`)]),
    );
    const result = { dataDirs, tool, token, bumpRevision: bump, markCompacted: bump > 0, ...versions };
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
);

/**
 * Without the bump the revision goes backwards and watchers (kube-proxy, controllers) keep stale
 * state (kubernetes/kubernetes#107457); etcdutl has --bump-revision/--mark-compacted since 3.5.10.
 */
function cannotBump(tool: string, version: string): string {
  const old = Number(majorMinor(version).split('.')[1] ?? 0) < 5 && version.startsWith('3.');
  const install =
    "install the etcd 3.5 tools with etcdutl on Lifeboat's PATH (Debian trixie's etcd-server package, or a node:24-trixie-slim based image)";
  return [
    `${tool} ${version} cannot bump the revision on restore (--bump-revision and --mark-compacted need etcdutl from etcd 3.5.10 or later): `,
    old
      ? `upgrade to etcd 3.5 and ${install}; for a cluster that stays on etcd ${majorMinor(version)}, `
      : `${install}; or, `,
    'to restore without the bump (the revision goes backwards and watchers keep stale state, kubernetes/kubernetes#107457), set bumpRevision: 0 in the runbook step',
  ].join('');
}

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
