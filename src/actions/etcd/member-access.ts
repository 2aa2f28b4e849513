import { z } from 'zod';
import type { ActionContext } from '../../engine/action-port.js';
import { notRun, toolError } from '../run-tool.js';
import { accessArgs, commandTimeout, etcdctl, parseJson, type EtcdAccess } from './etcdctl.js';

/** etcd IDs are uint64: read them as text before JSON.parse rounds them to the nearest double. */
export function parseEtcdJson(text: string): unknown {
  return parseJson(text.replace(/"(ID|cluster_id|member_id|leader)":(\d+)/g, '"$1":"$2"'));
}

/** etcdctl's member commands take the ID in hex (`member remove 8e9e05c52164694d`); JSON prints it in decimal. */
export const hexId = (decimal: string): string => BigInt(decimal).toString(16);

export type Member = {
  readonly id: string;
  readonly name: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs: readonly string[];
  /** An added member that has not joined yet has no name and no client URLs (etcdctl prints "unstarted"). */
  readonly started: boolean;
  readonly learner: boolean;
};

export const RawMember = z.object({
  ID: z.string(),
  name: z.string().optional(),
  peerURLs: z.array(z.string()).optional(),
  clientURLs: z.array(z.string()).optional(),
  isLearner: z.boolean().optional(),
});

export function memberOf(raw: z.infer<typeof RawMember>): Member {
  return {
    id: hexId(raw.ID),
    name: raw.name ?? '',
    peerURLs: raw.peerURLs ?? [],
    clientURLs: raw.clientURLs ?? [],
    started: (raw.name ?? '') !== '',
    learner: raw.isLearner === true,
  };
}

const Listed = z.object({ members: z.array(RawMember).default([]) });

/** `member list`: any one reachable member answers from its own view, quorum or not. */
export async function listMembers(
  etcd: EtcdAccess,
  context: ActionContext,
): Promise<{ members: Member[] } | { error: string }> {
  const args = [...accessArgs(etcd), '--dial-timeout=2s', commandTimeout(context, 5), 'member', 'list'];
  const run = await etcdctl([...args, '-w', 'json'], context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { error: failed };
  const listed = Listed.safeParse(parseEtcdJson(run.stdout));
  if (run.exitCode !== 0 || !listed.success) return { error: toolError('etcdctl', run) };
  return { members: listed.data.members.map(memberOf) };
}

/** The member that serves this client URL, if the list knows it. */
export const memberAt = (members: readonly Member[], endpoint: string): Member | undefined =>
  members.find((member) => member.clientURLs.includes(endpoint));
