import path from 'node:path';
import { z } from 'zod';
import type { ActionContext, ClusterTarget } from '../../engine/action-port.js';
import { onPath } from '../on-path.js';
import { notRun, runTool, type ToolRun } from '../run-tool.js';

/** Endpoints and client certificates, from a cluster's config or given directly. */
export type EtcdAccess = NonNullable<ClusterTarget['etcd']>;

type AccessInput = { cluster?: string | undefined; endpoints?: string | string[] | undefined };

export function resolveAccess(
  input: AccessInput,
  context: Pick<ActionContext, 'cluster'>,
): { access: EtcdAccess } | { error: string } {
  const endpoints = (Array.isArray(input.endpoints) ? input.endpoints : (input.endpoints ?? '').split(','))
    .map((endpoint) => endpoint.trim())
    .filter(Boolean);
  if (input.cluster === undefined) {
    return endpoints.length > 0
      ? { access: { endpoints } }
      : { error: 'say which etcd to use: give cluster (configured in LIFEBOAT_CONFIG) or endpoints' };
  }
  const target = context.cluster(input.cluster);
  if (!target)
    return {
      error: `cluster ${input.cluster} is not configured: add clusters.${input.cluster}.etcd.endpoints to LIFEBOAT_CONFIG`,
    };
  const via = target.name === input.cluster ? '' : ` (${target.name})`;
  if (!target.etcd)
    return {
      error: `cluster ${input.cluster}${via} has no etcd access: set clusters.${target.name}.etcd.endpoints (and cacert, cert, key for TLS) in LIFEBOAT_CONFIG`,
    };
  return { access: endpoints.length > 0 ? { ...target.etcd, endpoints } : target.etcd };
}

/** Global flags for one etcd; `=` keeps a value from ever being read as another flag. */
export function accessArgs(etcd: EtcdAccess): string[] {
  return [
    `--endpoints=${etcd.endpoints.join(',')}`,
    ...(etcd.cacert ? [`--cacert=${etcd.cacert}`] : []),
    ...(etcd.cert ? [`--cert=${etcd.cert}`] : []),
    ...(etcd.key ? [`--key=${etcd.key}`] : []),
  ];
}

/** etcdctl's own deadline, a little inside ours so that it reports the failure rather than being killed. */
export function commandTimeout(context: Pick<ActionContext, 'timeoutMs'>, capSeconds: number): string {
  const seconds = Math.max(1, Math.min(capSeconds, Math.floor(context.timeoutMs / 1000) - 2));
  return `--command-timeout=${seconds}s`;
}

export function etcdctl(args: readonly string[], context: ActionContext): Promise<ToolRun> {
  return runTool('etcdctl', args, context, { ETCDCTL_API: '3' });
}

/** Answers cached per PATH, so a test (or an operator) changing PATH gets a fresh look. */
const cache = new Map<string, Promise<boolean | undefined>>();
/** `undefined` means "could not tell" (the probe was stopped): not kept, asked again next time. */
async function cached(key: string, compute: () => Promise<boolean | undefined>): Promise<boolean> {
  const full = `${process.env.PATH ?? ''}\0${key}`;
  let answer = cache.get(full);
  if (!answer) cache.set(full, (answer = compute()));
  const value = await answer;
  if (value === undefined) cache.delete(full);
  return value ?? false;
}

/** Whether `program` is installed, asked once per PATH. */
function installed(program: string): Promise<boolean> {
  return cached(`on-path:${program}`, () => onPath(program));
}

/** etcd 3.6 removed `snapshot status/restore` from etcdctl; 3.4 has no etcdutl. */
export async function snapshotTool(): Promise<'etcdutl' | 'etcdctl'> {
  return (await installed('etcdutl')) ? 'etcdutl' : 'etcdctl';
}

/** Whether `TOOL snapshot restore` knows --bump-revision and --mark-compacted (etcdutl, etcd ≥ 3.5). */
export function restoreCanBump(tool: 'etcdutl' | 'etcdctl', context: ActionContext): Promise<boolean> {
  return cached(`bump:${tool}`, async () => {
    const help = await runTool(tool, ['snapshot', 'restore', '--help'], context, { ETCDCTL_API: '3' });
    if (help.ended === 'timeout' || help.ended === 'cancel') return undefined;
    const text = `${help.stdout}\n${help.stderr}`;
    return text.includes('--bump-revision') && text.includes('--mark-compacted');
  });
}

/** The tool's own release ("3.5.30"), from `TOOL version`, or why it could not be read. */
export async function toolVersion(
  tool: 'etcdutl' | 'etcdctl',
  context: ActionContext,
): Promise<{ version: string } | { error: string }> {
  const run = await runTool(tool, ['version'], context, { ETCDCTL_API: '3' });
  const failed = notRun(tool, run, context.timeoutMs);
  if (failed) return { error: failed };
  const version = new RegExp(`${tool} version: (\\d+\\.\\d+\\.\\d+)`).exec(run.stdout)?.[1];
  return version ? { version } : { error: `${tool} version did not say which etcd release it is` };
}

const Status = z.array(z.object({ Endpoint: z.string(), Status: z.object({ version: z.string() }) }));

/** Each reachable member's etcd version (`endpoint status -w json`); an empty list when none answered. */
export async function clusterVersions(
  etcd: EtcdAccess,
  context: ActionContext,
): Promise<{ endpoint: string; version: string }[]> {
  const args = [...accessArgs(etcd), '--dial-timeout=2s', commandTimeout(context, 5), 'endpoint', 'status'];
  const run = await etcdctl([...args, '-w', 'json'], context);
  // etcdctl exits 1 when some endpoint fails but still prints the others' status.
  const reported = Status.safeParse(parseJson(run.stdout));
  if (!reported.success) return [];
  return reported.data.map((member) => ({ endpoint: member.Endpoint, version: member.Status.version }));
}

/** "3.5" of "3.5.30". */
export function majorMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** A relative path means one inside the incident's workdir, where the shell action runs too. */
export function inWorkdir(context: Pick<ActionContext, 'workdir'>, file: string): string {
  return path.resolve(context.workdir, file);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
