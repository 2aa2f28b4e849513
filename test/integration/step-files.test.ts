import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { s3Client } from '../../src/actions/s3/client.js';
import { createRegistry } from '../../src/actions/registry.js';
import { shell } from '../../src/actions/shell.js';
import type { IncidentEvent } from '../../src/domain/events.js';
import { replay } from '../../src/domain/incident.js';
import { Runbook } from '../../src/domain/runbook.js';
import { Executor } from '../../src/engine/executor.js';
import { handle } from '../../src/engine/handle.js';
import { Reactor } from '../../src/engine/reactor.js';
import { s3StepFiles } from '../../src/store/s3-step-files.js';
import type { RedisStore } from '../../src/store/redis.js';
import { eventually } from '../support/eventually.js';
import { alice, envelope, T0 } from '../support/incident-fixtures.js';
import { deletePrefix, redisStore, testPrefix } from '../support/redis.js';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../support/s3.js';

/** Download → check → restore, as the etcd restore passes its snapshot and data dirs along. */
const HANDOFF = Runbook.parse({
  apiVersion: 'lifeboat/v1',
  kind: 'Runbook',
  id: 'handoff',
  title: 'Files passed from step to step',
  scenario: 'tests',
  targets: { rto: '30m', rpo: '1h' },
  steps: [
    {
      id: 'fetch',
      title: 'Write the snapshot',
      action: 'shell',
      readOnly: true,
      with: {
        command: [
          'sh',
          '-c',
          'head -c 300000 /dev/urandom > "$1/snapshot.db"; sha256sum "$1/snapshot.db"',
          '_',
          '{{ workdir }}',
        ],
      },
    },
    {
      id: 'check',
      title: 'Read it on another replica',
      action: 'shell',
      readOnly: true,
      with: { command: ['sha256sum', '{{ workdir }}/snapshot.db'] },
    },
    {
      id: 'restore',
      title: 'Make a data dir from it',
      action: 'shell',
      readOnly: true,
      with: {
        command: [
          'sh',
          '-c',
          'mkdir -p "$1/restored/member/snap" && cp "$1/snapshot.db" "$1/restored/member/snap/db"',
          '_',
          '{{ workdir }}',
        ],
      },
    },
    {
      id: 'hand-out',
      title: 'Read the data dir on a third replica',
      action: 'shell',
      readOnly: true,
      with: { command: ['sha256sum', '{{ workdir }}/restored/member/snap/db'] },
      restoresService: true,
    },
  ],
});

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3('lifeboat-step-files');
});
afterAll(() => s3.stop());

type Replica = { executor: Executor; reactor?: Reactor; store: RedisStore; workdir: string };
const replicas: Replica[] = [];
let prefix = '';
afterEach(async () => {
  for (const r of replicas.splice(0)) {
    await r.reactor?.stop();
    r.executor.abandonAll();
    await r.executor.idle();
    await r.store.close();
    await rm(r.workdir, { recursive: true, force: true });
  }
  await deletePrefix(prefix);
});

async function replica(name: string): Promise<Replica> {
  const store = redisStore(prefix);
  const workdir = await mkdtemp(path.join(os.tmpdir(), `lifeboat-${name}-`));
  const client = s3Client({ ...s3.settings }, S3RVER_CREDENTIALS);
  const executor = new Executor({
    store,
    registry: createRegistry({ shell }),
    owner: name,
    leaseMs: 2000,
    workdirRoot: workdir,
    stepFiles: s3StepFiles(client, s3.bucket, 'step-files/'),
  });
  const r = { executor, store, workdir };
  replicas.push(r);
  return r;
}

/** Only this replica reads the feed while the step runs: the step lands on it and nowhere else. */
async function runOn(r: Replica, step: string): Promise<IncidentEvent | undefined> {
  const reactor = new Reactor({
    store: r.store,
    group: 'executor',
    consumer: `${step}-on-${r.workdir}`,
    handle: (e) => r.executor.onFeedEntry(e),
    blockMs: 100,
  });
  r.reactor = reactor;
  reactor.start();
  await handle(r.store, envelope('inc-files', alice, T0, { type: 'Request', step, gate: 'run' }));
  const finished = await eventually(
    async () =>
      (await r.store.read('inc-files')).events.find((e) => e.type === 'StepFinished' && e.step === step),
    `${step} to finish`,
  );
  await reactor.stop();
  r.reactor = undefined;
  return finished;
}

const stdoutOf = (event: IncidentEvent | undefined): string =>
  event?.type === 'StepFinished' ? (String(event.result.stdout).split(' ')[0] ?? '') : '';

describe('step files on any replica', () => {
  it('each step on a different replica, the writer gone: every later step finds the files, byte for byte', async () => {
    prefix = testPrefix();
    const [a, b, c] = [await replica('a'), await replica('b'), await replica('c')];
    await handle(
      a.store,
      envelope('inc-files', alice, T0, {
        type: 'Declare',
        mode: 'drill',
        summary: 'files',
        channel: 'C1',
        runbook: { runbook: HANDOFF, hash: 'h' },
      }),
    );
    // Prerequisites (none) pass on replica a.
    const pre = new Reactor({
      store: a.store,
      group: 'executor',
      consumer: 'pre',
      handle: (e) => a.executor.onFeedEntry(e),
      blockMs: 100,
    });
    pre.start();
    await eventually(
      async () => replay('inc-files', (await a.store.read('inc-files')).events)?.status === 'running',
      'the run to start',
    );
    await pre.stop();

    const fetched = await runOn(a, 'fetch');
    expect(fetched).toMatchObject({ passed: true });
    // The replica that wrote the snapshot dies, its workdir with it.
    await rm(a.workdir, { recursive: true, force: true });
    const checked = await runOn(b, 'check');
    expect(checked).toMatchObject({ passed: true });
    expect(stdoutOf(checked)).toBe(stdoutOf(fetched));
    expect(await runOn(c, 'restore')).toMatchObject({ passed: true });
    const handedOut = await runOn(b, 'hand-out');
    expect(handedOut).toMatchObject({ passed: true });
    expect(stdoutOf(handedOut)).toBe(stdoutOf(fetched));
  });

  it("a step file changed in the store is refused as corrupt, naming it; discard deletes an incident's files", async () => {
    prefix = testPrefix();
    const client = s3Client({ ...s3.settings }, S3RVER_CREDENTIALS);
    const files = s3StepFiles(client, s3.bucket, 'tamper/');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-tamper-'));
    await writeFile(path.join(dir, 'snapshot.db'), 'the real snapshot');
    const signal = new AbortController().signal;
    await files.save('inc-t', dir, signal);
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: 'tamper/inc-t/snapshot.db', Body: 'something else' }),
    );
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-elsewhere-'));
    await expect(files.restore('inc-t', elsewhere, signal)).rejects.toThrow(
      /step file snapshot\.db .* is corrupt/,
    );
    await files.discard('inc-t');
    await files.restore('inc-t', elsewhere, signal);
    expect(await readFile(path.join(elsewhere, 'snapshot.db'), 'utf8').catch(() => 'gone')).toBe('gone');
    await rm(dir, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });
});
