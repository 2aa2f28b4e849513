/**
 * Triage through Slack with the shipped tree and a real three-member etcd (Debian's 3.4): with one
 * member dead the card reads "degraded", names the member and suggests etcd-member-replace; with
 * every member out of reach it reads "unknown" and suggests nothing, least of all the restore.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Message } from '../../src/sandbox/slack/emulator.js';
import { ROOT } from '../support/cli.js';
import { DRILL_CLUSTER, startWorld, type World } from '../support/e2e.js';
import { EtcdMember } from '../support/etcd-member.js';

let world: World;
let dir = '';
let members: EtcdMember[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-triage-'));
  members = await EtcdMember.cluster({ size: 3, root: dir });
  await Promise.all(members.map((m) => m.start()));
  const endpoints = members.map((m) => m.clientUrl).join(', ');
  world = await startWorld({
    runbooks: path.join(ROOT, 'runbooks'),
    config: `access:\n  approvers: [UALICE, UBOB]\n${DRILL_CLUSTER.replace(
      'clusters:\n',
      `clusters:\n  primary: { context: no-such-context, etcd: { endpoints: [${endpoints}] } }\n`,
    )}`,
  });
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await Promise.all(members.map((m) => m.stop()));
  await rm(dir, { recursive: true, force: true });
});

/** The buttons the card draws as suggested (Slack's primary style), by their text. */
const suggested = (card: Message | undefined): string[] =>
  JSON.stringify(card?.blocks ?? [])
    .split('{"type":"button"')
    .filter((button) => button.includes('"style":"primary"'))
    .map((button) => /"text":"([^"]+)"/.exec(button)?.[1] ?? '');

describe('the etcd question, answered by the probe, through Slack', () => {
  it('one dead member of three: degraded, named, and the member replacement suggested', async () => {
    const { slack, until, cardText, card } = world;
    const [, second] = members;
    await second?.stop();
    await slack.command('UALICE', 'declare the API server is down');
    await until(() => cardText().includes('What is failing?'), 'the first question');
    await slack.click(
      'UALICE',
      await until(card, 'the card'),
      'The API server does not answer (kubectl hangs or is refused)',
    );
    await until(() => cardText().includes('⚠️ degraded'), 'the etcd probe to read degraded', 30_000);
    expect(cardText()).toContain('quorum held by 2 of 3 members; down: m2');
    expect(cardText()).toContain(
      'Suggested by the probe: *One etcd member is down; the others still hold quorum*',
    );
    expect(suggested(card())).toEqual(['One etcd member is down; the others still hold quorum']);
    await slack.command('UALICE', 'abort triage test');
    await until(() => cardText().includes('Aborted'), 'the aborted card');
  }, 60_000);

  it('no member answers: unknown, why, and nothing suggested', async () => {
    const { slack, until, cardText, card } = world;
    await Promise.all(members.map((m) => m.stop()));
    await slack.command('UALICE', 'declare etcd unreachable');
    await until(
      () => cardText().includes('What is failing?') && !cardText().includes('Aborted'),
      'a new first question',
    );
    await slack.click(
      'UALICE',
      await until(card, 'the card'),
      'The API server does not answer (kubectl hangs or is refused)',
    );
    await until(() => cardText().includes('❔ unknown'), 'the etcd probe to read unknown', 30_000);
    expect(cardText()).toContain('no etcd endpoint answered from where Lifeboat runs');
    expect(cardText()).toContain('nothing is suggested');
    expect(cardText()).not.toContain('Suggested by the probe');
    expect(suggested(card())).toEqual([]);
  }, 60_000);
});
