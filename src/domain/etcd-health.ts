import type { ProbeVerdict } from './probe.js';

/** One endpoint as asked: did `endpoint health` pass, and did it answer at all (`endpoint status`)? */
export type EndpointCheck = {
  readonly endpoint: string;
  readonly healthy: boolean;
  /** It answered `endpoint status` (served from the member itself, quorum or not). */
  readonly answered: boolean;
  readonly error?: string;
  /** The member at this client URL, when the member list names it. */
  readonly member?: string;
  /** Its peer URLs, which etcd.member-add needs to add it back at the same place. */
  readonly peerURLs?: readonly string[];
};

/** Members etcd lists that no endpoint stands for: added but never started. */
export type UnstartedMember = { readonly id: string; readonly peerURLs: readonly string[] };

export type EtcdHealth = {
  readonly verdict: ProbeVerdict;
  /** true: a quorum serves reads; false: members answer, none can; undefined: nobody answered. */
  readonly quorum?: boolean;
  readonly why?: string;
  /** The members (or endpoints) that are down, in the order asked. */
  readonly down: readonly string[];
  readonly downPeerUrls: readonly string[];
};

const nameOf = (check: EndpointCheck): string => check.member ?? check.endpoint;
const detail = (check: EndpointCheck): string =>
  `${nameOf(check)}${check.member ? ` (${check.endpoint})` : ''}: ${check.answered ? (check.error ?? 'unhealthy') : `no answer${check.error ? ` (${check.error})` : ''}`}`;

/**
 * etcd's health from where Lifeboat stands. A healthy endpoint has served a linearizable read, so
 * a quorum exists (etcdctl endpoint health does a quorum GET: etcdctl/ctlv3/command/ep_command.go):
 * one such is enough for "degraded", not a restore. Members that answer but cannot serve it have
 * lost quorum. When nothing answers, Lifeboat cannot tell a dead etcd from a closed port 2379
 * (it is meant to run outside the region): unknown.
 */
export function etcdHealth(
  checks: readonly EndpointCheck[],
  unstarted: readonly UnstartedMember[] = [],
): EtcdHealth {
  const sick = checks.filter((check) => !check.healthy);
  const healthy = checks.length - sick.length;
  const down = [...sick.map(nameOf), ...unstarted.map((member) => `unstarted ${member.id}`)];
  const downPeerUrls = [
    ...sick.flatMap((check) => check.peerURLs ?? []),
    ...unstarted.flatMap((m) => m.peerURLs),
  ];
  const total = checks.length + unstarted.length;
  const whyDown = [
    ...sick.map(detail),
    ...unstarted.map((m) => `member ${m.id} was added but has not started`),
  ];
  if (checks.length === 0)
    return {
      verdict: 'unknown',
      why: 'no etcd endpoint to ask: set clusters.NAME.etcd.endpoints',
      down,
      downPeerUrls,
    };
  if (healthy === checks.length && unstarted.length === 0)
    return { verdict: 'healthy', quorum: true, down, downPeerUrls };
  if (healthy > 0)
    return {
      verdict: 'degraded',
      quorum: true,
      why: `quorum held by ${healthy} of ${total} members; down: ${whyDown.join('; ')}`,
      down,
      downPeerUrls,
    };
  const answering = checks.filter((check) => check.answered).length;
  if (answering > 0)
    return {
      verdict: 'unhealthy',
      quorum: false,
      why: `quorum lost: ${answering} of ${total} members answer but none can serve a quorum read; ${whyDown.join('; ')}`,
      down,
      downPeerUrls,
    };
  return {
    verdict: 'unknown',
    why: `no etcd endpoint answered from where Lifeboat runs (${whyDown.join('; ')}): etcd may be down, or port 2379 closed from here; ask from a control-plane node before choosing a restore`,
    down,
    downPeerUrls,
  };
}
