import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { replay } from '../../src/domain/incident.js';
import { ROOT } from '../support/cli.js';
import { startWorld, type World } from '../support/e2e.js';
import { recordReliability } from '../support/reliability.js';

/** Output real failing DR steps print: each case ends with a line the thread must show. */
const PEM_CUT =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n';
const CASES: Readonly<Record<string, string | Buffer>> = {
  logfmt:
    'time="2026-11-26T03:00:00Z" level=error msg="restore failed: cannot read secret=cloud-credentials" token=abc123def456\nEND logfmt\n',
  'escaped-json':
    '{"level":"error","msg":"say \\"no\\" to \\"restore\\"","password":"p\\"w\\\\d"}\nEND escaped-json\n',
  'pem-cut': `${PEM_CUT}\nEND pem-cut\n`,
  'one-mib': `${'x'.repeat(80)}\n`.repeat(13_000) + 'END one-mib\n',
  binary: Buffer.concat([
    Buffer.from([0, 1, 2, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d]),
    Buffer.from('\nEND binary\n'),
  ]),
  'bad-utf8': Buffer.concat([
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]),
    Buffer.from('\nEND bad-utf8\n'),
  ]),
};

const runbook = (id: string, idempotent: boolean, outputs: string) => `apiVersion: lifeboat/v1
kind: Runbook
id: ${id}
title: A restore that fails loudly (${idempotent ? 'idempotent' : 'not idempotent'})
scenario: A destructive step whose failure prints what real tools print
targets: { rto: 30m, rpo: 24h }
params:
  output: { type: enum, values: [${Object.keys(CASES).join(', ')}], prompt: Which output }
steps:
  - id: restore
    title: Restore and fail
    action: shell
    destructive: true
    idempotent: ${idempotent}
    with:
      command: [sh, -c, 'echo run >> "$1/runs-$3"; cat "$1/$2.out" >&2; exit 1', _, "${outputs}", "{{ params.output }}", "{{ incident.id }}"]
    restoresService: true
`;

/** Each case in a channel of its own: Slack's one post a second per channel would queue it behind the last case's. */
const table = Object.keys(CASES).flatMap((name, i) => [
  [name, 'loud-restore', `C0HOSTILE${i}`] as const,
  ...(i === 0 ? [[name, 'loud-once', 'C0HOSTILEONCE'] as const] : []),
]);

let world: World;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-hostile-'));
  const runbooks = path.join(dir, 'runbooks');
  await cp(path.join(ROOT, 'test/fixtures/e2e'), runbooks, { recursive: true });
  for (const [name, output] of Object.entries(CASES)) await writeFile(path.join(dir, `${name}.out`), output);
  await writeFile(path.join(runbooks, 'loud.yaml'), runbook('loud-restore', true, dir));
  await writeFile(path.join(runbooks, 'loud-once.yaml'), `---\n${runbook('loud-once', false, dir)}`);
  world = await startWorld({
    runbooks,
    env: { LIFEBOAT_LEASE: '2s' },
    channels: table.map(([, , channel]) => channel),
  });
}, 30_000);
/** Per case: executions counted by the step itself, and whether its result reached the stream. */
const tally = { runs: 0, failures: 0, lost: 0, duplicates: 0 };
afterAll(async () => {
  recordReliability({
    scenario:
      'a failing destructive step prints hostile output (logfmt, escaped JSON, cut PEM, 1 MiB, binary, bad UTF-8)',
    runs: tally.runs,
    failures: tally.failures,
    lostEvents: tally.lost,
    duplicateExecutions: tally.duplicates,
    note: 'lease 2 s, checked 5 s after the failure; executions counted by the command',
  });
  await world?.stop();
  await rm(dir, { recursive: true, force: true });
});

const runs = async (incident: string): Promise<number> =>
  (await readFile(path.join(dir, `runs-${incident}`), 'utf8').catch(() => '')).split('\n').filter(Boolean)
    .length;

describe('a failing destructive step, whatever it prints', () => {
  it.each(table)(
    '%s output (%s): one execution, the real failure and the end of the output in the thread',
    async (name, id, channel) => {
      const { slack, emulator, until, store } = world;
      const where = { channel };
      const cardText = () => world.cardText(where);
      const card = () => until(() => world.card(where), 'the drill card');
      await slack.command('UALICE', `drill ${id}`, where);
      await until(() => cardText().includes('Set parameters'), 'the drill card asking for parameters');
      await slack.click('UALICE', await card(), 'Set parameters');
      const modal = await until(
        () => emulator.views('UALICE').find((v) => v.state === 'open'),
        'the parameters modal',
      );
      await slack.submitView('UALICE', modal, { output: name });
      await until(() => cardText().includes('"Run"'), 'the step ready to run');
      await slack.click('UALICE', await card(), 'Run');
      await until(() => cardText().includes('"Approve"'), 'the approval buttons');
      await slack.click('UBOB', await card(), 'Approve');
      await until(() => cardText().includes('"Retry"'), 'the failed step, offering a retry', 30_000);
      const incident = /DRILL-\d{8}-[0-9a-f]{6}/.exec(world.card(where)?.text ?? '')?.[0] ?? '';
      // 5 s after the failure, long past the 2 s lease: a lost result would have been swept, interrupted and
      // (idempotent) re-run by now. Counted from the failure, not from the card showing it, which is paced.
      const failedAt = (await store.read(incident)).events.find((e) => e.type === 'StepFinished')?.at;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, (failedAt ?? Date.now()) + 5000 - Date.now())),
      );
      const executions = await runs(incident);
      const events = (await store.read(incident)).events;
      const recorded = events.some((e) => e.type === 'StepFinished');
      tally.runs++;
      tally.duplicates += Math.max(0, executions - 1);
      if (!recorded) tally.lost++;
      if (executions !== 1 || !recorded) tally.failures++;
      expect(executions).toBe(1);
      expect(events.filter((e) => e.type === 'StepStarted')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'StepInterrupted')).toEqual([]);
      const finished = events.find((e) => e.type === 'StepFinished');
      expect(finished).toMatchObject({ passed: false });
      expect(replay(incident, events)?.steps.restore?.status).toBe('failed');
      const thread = JSON.stringify(world.thread(where));
      await until(
        () => JSON.stringify(world.thread(where)).includes(`END ${name}`),
        'the end of the output in the thread',
      );
      expect(thread).not.toContain('cloud-credentials" token=abc123def456');
      expect(thread).not.toContain('MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun');
      await slack.command('UALICE', 'abort done', where);
      await until(() => cardText().includes('Aborted'), 'the aborted card');
    },
    60_000,
  );
});
