import { beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import type { Command } from '../../src/domain/commands.js';
import { decide } from '../../src/domain/decide.js';
import { restoreTargets } from '../../src/domain/drill.js';
import { etcdHealth, type EndpointCheck } from '../../src/domain/etcd-health.js';
import { evolve, type IncidentState } from '../../src/domain/incident.js';
import { readProbe, type ProbeCall, type ProbeReading } from '../../src/domain/probe.js';
import { DecisionTree, suggestedOption, type TreeNode } from '../../src/domain/tree.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { incidentCard } from '../../src/slack/blocks/card.js';
import { timelineLine } from '../../src/slack/blocks/timeline.js';
import { alice, envelope, system, T0 } from '../support/incident-fixtures.js';

const call = (over: Partial<ProbeCall>): ProbeCall => ({
  completed: true,
  passed: true,
  result: {},
  failures: [],
  ...over,
});

describe('a probe call read as a verdict', () => {
  it('is unknown, with why, when the action could not run', () => {
    expect(readProbe(call({ completed: false, passed: false, error: 'etcdctl not found on PATH' }))).toEqual({
      verdict: 'unknown',
      why: 'etcdctl not found on PATH',
    });
  });

  it("takes the action's own verdict and why", () => {
    const result = { verdict: 'degraded', why: 'quorum held by 2 of 3 members' };
    expect(readProbe(call({ passed: false, result, error: 'etcd is degraded' }))).toEqual({
      verdict: 'degraded',
      why: 'quorum held by 2 of 3 members',
    });
  });

  it("keeps unknown even when the probe's expect fails too: nobody answered", () => {
    const reading = readProbe(
      call({
        passed: false,
        result: { verdict: 'unknown', why: 'no answer' },
        failures: ['healthy should be true'],
      }),
    );
    expect(reading).toEqual({ verdict: 'unknown', why: 'no answer' });
  });

  it('is unhealthy when an answer fails the expect, healthy when a plain action passes', () => {
    expect(
      readProbe(call({ passed: false, result: { ready: false }, failures: ['ready should be true'] })),
    ).toEqual({
      verdict: 'unhealthy',
      why: 'ready should be true',
    });
    expect(readProbe(call({ result: { ready: true } }))).toEqual({ verdict: 'healthy' });
    expect(readProbe(call({ passed: false, error: '/readyz answers 500' }))).toEqual({
      verdict: 'unhealthy',
      why: '/readyz answers 500',
    });
  });
});

describe("etcd's health from where Lifeboat stands", () => {
  const up = (n: number): EndpointCheck => ({
    endpoint: `https://10.0.0.${n}:2379`,
    healthy: true,
    answered: true,
    member: `cp-${n}`,
    peerURLs: [`https://10.0.0.${n}:2380`],
  });
  const dead = (n: number, answered = false): EndpointCheck => ({
    ...up(n),
    healthy: false,
    answered,
    error: 'context deadline exceeded',
  });

  it('is healthy when every member is', () => {
    expect(etcdHealth([up(1), up(2), up(3)])).toMatchObject({ verdict: 'healthy', quorum: true, down: [] });
  });

  it('is degraded, quorum held, when one member of three is down, and names it with its peer URL', () => {
    const health = etcdHealth([up(1), dead(2), up(3)]);
    expect(health).toMatchObject({
      verdict: 'degraded',
      quorum: true,
      down: ['cp-2'],
      downPeerUrls: ['https://10.0.0.2:2380'],
    });
    expect(health.why).toBe(
      'quorum held by 2 of 3 members; down: cp-2 (https://10.0.0.2:2379): no answer (context deadline exceeded)',
    );
  });

  it('counts a member added but never started as down', () => {
    const health = etcdHealth([up(1), up(2)], [{ id: 'abc1', peerURLs: ['https://10.0.0.3:2380'] }]);
    expect(health).toMatchObject({ verdict: 'degraded', down: ['unstarted abc1'] });
    expect(health.why).toContain('quorum held by 2 of 3 members');
  });

  it('is unhealthy, quorum lost, when members answer but none is healthy', () => {
    expect(etcdHealth([dead(1, true), dead(2), dead(3)])).toMatchObject({
      verdict: 'unhealthy',
      quorum: false,
    });
  });

  it('is unknown, quorum not claimed either way, when nothing answers or there is nothing to ask', () => {
    const nothing = etcdHealth([dead(1), dead(2), dead(3)]);
    expect(nothing.verdict).toBe('unknown');
    expect(nothing.quorum).toBeUndefined();
    expect(nothing.why).toMatch(/port 2379 closed from here; ask from a control-plane node/);
    expect(etcdHealth([]).verdict).toBe('unknown');
  });
});

describe('the shipped decision tree suggests only on a definite verdict', () => {
  let tree: DecisionTree;
  beforeAll(async () => {
    const loaded = (await loadRunbooks(path.resolve('runbooks'))).defaultTree?.tree;
    if (!loaded) throw new Error('no default tree in runbooks/');
    tree = loaded;
  });
  const node = (id: string): TreeNode => {
    const found = tree.nodes[id];
    if (!found) throw new Error(`no node ${id}`);
    return found;
  };
  const suggested = (id: string, reading: ProbeReading): string | undefined => {
    const index = suggestedOption(node(id), reading);
    return index === undefined
      ? undefined
      : (node(id).options[index]?.runbook ?? node(id).options[index]?.next);
  };

  it('routes etcd: healthy → control-plane recovery, degraded → member replacement, unhealthy → snapshot restore', () => {
    expect(suggested('etcd-state', { verdict: 'healthy' })).toBe('control-plane-recovery');
    expect(suggested('etcd-state', { verdict: 'degraded' })).toBe('etcd-member-replace');
    expect(suggested('etcd-state', { verdict: 'unhealthy' })).toBe('etcd-snapshot-restore');
  });

  it('never suggests anything on unknown, on any node', () => {
    for (const id of Object.keys(tree.nodes))
      expect(suggestedOption(node(id), { verdict: 'unknown', why: 'port 2379 closed' })).toBeUndefined();
  });

  it('sends lost machines and a lost region without standby to a rebuild in a new cluster, never a restore on primary', () => {
    const machines = node('etcd-state').options.find((o) => /machines themselves are gone/.test(o.label));
    expect(machines?.runbook).toBe('cluster-rebuild');
    const noStandby = Object.values(tree.nodes)
      .flatMap((n) => n.options)
      .find((o) => /No standby/.test(o.label));
    expect(noStandby?.runbook).toBe('cluster-rebuild');
  });

  it('asks whether the namespace still exists, and sends a partial deletion to the partial restore', () => {
    const deleted = node('scope').options.find((o) => /was deleted/.test(o.label))?.next;
    expect(deleted).toBe('deleted');
    expect(node('deleted').options.map((o) => o.runbook)).toEqual([
      'velero-namespace-restore',
      'velero-partial-restore',
    ]);
  });

  it('reads the first names probe.passed and probe.failed as healthy and unhealthy', () => {
    const aliases = DecisionTree.shape.nodes.valueType.parse({
      question: 'Q?',
      probe: { action: 'k8s.apiserver-ready', with: { cluster: 'standby' } },
      options: [
        { label: 'up', runbook: 'a', suggestWhen: 'probe.passed' },
        { label: 'down', runbook: 'b', suggestWhen: 'probe.failed' },
      ],
    });
    expect(suggestedOption(aliases, { verdict: 'healthy' })).toBe(0);
    expect(suggestedOption(aliases, { verdict: 'unhealthy' })).toBe(1);
    expect(suggestedOption(aliases, { verdict: 'degraded' })).toBeUndefined();
  });
});

describe('the triage card', () => {
  let tree: DecisionTree;
  beforeAll(async () => {
    const loaded = (await loadRunbooks(path.resolve('runbooks'))).defaultTree?.tree;
    if (!loaded) throw new Error('no default tree in runbooks/');
    tree = loaded;
  });

  /** An incident at the etcd question with this probe recorded. */
  function atEtcd(reading: ProbeReading | undefined, passed = false): IncidentState {
    const commands: [typeof alice, Command][] = [
      [alice, { type: 'Declare', mode: 'incident', summary: 'API down', channel: 'C1', tree }],
      [alice, { type: 'Answer', node: 'scope', option: 1 }],
    ];
    let state: IncidentState | undefined;
    for (const [actor, command] of commands) state = apply(state, actor, command);
    const evidence = { title: 'etcd.endpoint-health', passed, result: {}, failures: ['etcd is not healthy'] };
    if (!reading) {
      // A probe recorded before verdicts existed: an event without `reading`.
      return evolve(
        state,
        { type: 'ProbeRecorded', node: 'etcd-state', evidence, at: T0, by: system.id },
        'inc-1',
      );
    }
    return apply(state, system, { type: 'RecordProbe', node: 'etcd-state', evidence, reading });
  }
  function apply(state: IncidentState | undefined, actor: typeof alice, command: Command): IncidentState {
    const decision = decide(state, envelope('inc-1', actor, T0, command));
    if (!decision.ok) throw new Error(decision.rejection.message);
    let next = state;
    for (const event of decision.events) next = evolve(next, event, 'inc-1');
    if (!next) throw new Error('no state');
    return next;
  }
  /** The texts of the buttons drawn as suggested (Slack's primary style). */
  const primary = (state: IncidentState): string[] =>
    incidentCard(state, { now: T0 }).flatMap((block) =>
      block.type === 'actions'
        ? block.elements.flatMap((e) => (e.type === 'button' && e.style === 'primary' ? [e.text.text] : []))
        : [],
    );

  it('on degraded marks the member replacement and says which member is down', () => {
    const state = atEtcd({ verdict: 'degraded', why: 'quorum held by 2 of 3 members; down: cp-2' });
    const card = JSON.stringify(incidentCard(state, { now: T0 }));
    expect(card).toContain('⚠️ degraded');
    expect(card).toContain('down: cp-2');
    expect(card).toContain('Suggested by the probe: *One etcd member is down; the others still hold quorum*');
    expect(primary(state)).toEqual(['One etcd member is down; the others still hold quorum']);
  });

  it('on unknown marks nothing, says why and that nothing is suggested', () => {
    const state = atEtcd({ verdict: 'unknown', why: 'no etcd endpoint answered from where Lifeboat runs' });
    const card = JSON.stringify(incidentCard(state, { now: T0 }));
    expect(card).toContain('❔ unknown');
    expect(card).toContain('no etcd endpoint answered from where Lifeboat runs');
    expect(card).toContain('nothing is suggested');
    expect(card).not.toContain('Suggested by the probe');
    expect(primary(state)).toEqual([]);
  });

  it('reads a failed probe recorded before verdicts existed as unknown: no restore suggested', () => {
    const state = atEtcd(undefined);
    expect(state.probes['etcd-state']?.verdict).toBe('unknown');
    expect(JSON.stringify(incidentCard(state, { now: T0 }))).not.toContain('Suggested by the probe');
  });

  it('writes the verdict in the timeline', () => {
    expect(
      timelineLine({
        type: 'ProbeRecorded',
        node: 'etcd-state',
        evidence: { title: 'etcd.endpoint-health', passed: false, result: {}, failures: [] },
        reading: { verdict: 'degraded', why: 'down: cp-2' },
        at: T0,
        by: system.id,
      }),
    ).toContain('Probe etcd.endpoint-health: degraded (down: cp-2)');
  });
});

describe('a drill of the rebuild, whose restore targets a cluster named by a param', () => {
  it('counts every drill stand-in as a restore target, so each must be isolated', async () => {
    const rebuild = (await loadRunbooks(path.resolve('runbooks'))).runbooks.get('cluster-rebuild')?.runbook;
    if (!rebuild) throw new Error('no cluster-rebuild runbook');
    expect(restoreTargets(rebuild, { primary: 'drill-a', rebuild: 'drill-b' }).sort()).toEqual([
      'drill-a',
      'drill-b',
    ]);
  });
});
