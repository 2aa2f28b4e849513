import { z } from 'zod';
import type { ActionContext } from '../../engine/action-port.js';
import { implement } from '../contract.js';
import { keepTrying } from '../keep-trying.js';
import { notRun } from '../run-tool.js';
import { accessArgs, commandTimeout, etcdctl, resolveAccess, type EtcdAccess } from './etcdctl.js';
import { hexId, parseEtcdJson } from './member-access.js';
import { endpointStatusContract } from './endpoint-status-contract.js';

export type EndpointStatus = {
  readonly endpoint: string;
  readonly answered: boolean;
  readonly memberId?: string;
  readonly revision?: number;
  readonly raftIndex?: number;
  readonly raftAppliedIndex?: number;
  readonly leader?: string;
  readonly isLeader?: boolean;
  readonly version?: string;
  readonly dbSize?: number;
  /** etcd 3.5 lists member errors here, e.g. "etcdserver: no leader". */
  readonly errors?: readonly string[];
};

// etcdctl's JSON of `endpoint status` (etcd etcdctl/ctlv3/command/printer_json.go: the StatusResponse per endpoint).
const Reported = z.array(
  z.object({
    Endpoint: z.string(),
    Status: z.object({
      header: z.object({ member_id: z.string(), revision: z.number() }),
      version: z.string(),
      dbSize: z.number().optional(),
      leader: z.string().optional(),
      raftIndex: z.number().optional(),
      raftAppliedIndex: z.number().optional(),
      errors: z.array(z.string()).optional(),
    }),
  }),
);

/** Asks every endpoint; one that does not answer is listed with answered: false (etcdctl exits 1 but prints the others). */
export async function statusOf(
  etcd: EtcdAccess,
  context: ActionContext,
): Promise<{ endpoints: EndpointStatus[] } | { error: string }> {
  const args = [...accessArgs(etcd), '--dial-timeout=2s', commandTimeout(context, 5), 'endpoint', 'status'];
  const run = await etcdctl([...args, '-w', 'json'], context);
  const failed = notRun('etcdctl', run, context.timeoutMs);
  if (failed) return { error: failed };
  const reported = Reported.safeParse(parseEtcdJson(run.stdout));
  // Nothing answered prints nothing (or an empty list): every endpoint is then unanswered.
  const answers = reported.success ? reported.data : [];
  const endpoints = etcd.endpoints.map((endpoint): EndpointStatus => {
    const answer = answers.find((a) => a.Endpoint === endpoint);
    if (!answer) return { endpoint, answered: false };
    const { header, version, dbSize, leader, raftIndex, raftAppliedIndex, errors } = answer.Status;
    const memberId = hexId(header.member_id);
    const leaderId = leader && leader !== '0' ? hexId(leader) : undefined;
    return {
      endpoint,
      answered: true,
      memberId,
      revision: header.revision,
      ...(raftIndex !== undefined ? { raftIndex } : {}),
      ...(raftAppliedIndex !== undefined ? { raftAppliedIndex } : {}),
      ...(leaderId ? { leader: leaderId, isLeader: leaderId === memberId } : { isLeader: false }),
      version,
      ...(dbSize !== undefined ? { dbSize } : {}),
      ...(errors && errors.length > 0 ? { errors } : {}),
    };
  });
  return { endpoints };
}

const spread = (values: readonly (number | undefined)[]): number => {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? 0 : Math.max(...known) - Math.min(...known);
};

/** The members' status, judged: who answered, the leader they agree on, how far apart their revisions are. */
type StatusSummary = {
  readonly endpoints: readonly EndpointStatus[];
  readonly answered: number;
  readonly asked: number;
  readonly allAnswered: boolean;
  readonly leader: string;
  readonly revisionSpread: number;
  readonly raftIndexSpread: number;
  readonly level: boolean;
};

function summary(endpoints: readonly EndpointStatus[], maxRevisionSpread: number): StatusSummary {
  const answering = endpoints.filter((e) => e.answered);
  const leaders = new Set(answering.map((e) => e.leader ?? ''));
  const revisionSpread = spread(answering.map((e) => e.revision));
  const allAnswered = answering.length === endpoints.length;
  return {
    endpoints,
    answered: answering.length,
    asked: endpoints.length,
    allAnswered,
    leader: leaders.size === 1 ? ([...leaders][0] ?? '') : '',
    revisionSpread,
    raftIndexSpread: spread(answering.map((e) => e.raftIndex)),
    level: allAnswered && revisionSpread <= maxRevisionSpread,
  };
}

export const endpointStatus = implement(endpointStatusContract, async (input, context) => {
  const resolved = resolveAccess(input, context);
  if ('error' in resolved) return { completed: false, result: {}, error: resolved.error };
  const access = resolved.access;
  const outcome = await keepTrying<StatusSummary | { error: string }>({
    withinMs: Math.min(input.within ?? 0, context.timeoutMs),
    signal: context.signal,
    progress: context.progress,
    attempt: async () => {
      const status = await statusOf(access, context);
      if ('error' in status) return { value: status, passed: false, note: status.error };
      const result = summary(status.endpoints, input.maxRevisionSpread ?? 0);
      const note = `${result.answered} of ${result.asked} answer, revisions ${result.revisionSpread} apart`;
      return { value: result, passed: result.level, note };
    },
  });
  const result = outcome.value;
  if ('error' in result) return { completed: false, result: {}, error: result.error };
  if (result.answered === 0)
    return {
      completed: false,
      result,
      error: `no etcd endpoint answered (${access.endpoints.join(', ')}): check that etcd runs and that port 2379 is open from where Lifeboat runs`,
    };
  return { completed: true, result };
});
