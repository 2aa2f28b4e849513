import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { errorCode, LifeboatError } from '../../../src/errors.js';
import { RedisStore } from '../../../src/store/redis.js';
import {
  deletePrefix,
  freePort,
  privateRedis,
  REDIS_URL,
  redisStore,
  testPrefix,
} from '../../support/redis.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the Redis adapter', () => {
  it('reads what an earlier version wrote under the same keys, so a running deployment upgrades in place', async () => {
    const prefix = testPrefix();
    const raw = new Redis(REDIS_URL);
    const store = redisStore(prefix);
    cleanups.push(
      () => deletePrefix(prefix),
      () => store.close(),
      () => raw.quit(),
    );
    // The hashes as the string-keyed meta of earlier versions left them.
    await raw.hset(`${prefix}{INC-1}:meta`, {
      card: '1700000000.000100',
      channel: 'C1',
      posted: '4',
      report: '1',
    });
    const backup = { source: 'etcd-prod', status: 'fresh', rpoSeconds: 3600, detail: 'ok', checkedAt: 5 };
    await raw.hset(`${prefix}{backup-watch}:meta`, { 'etcd-prod': JSON.stringify(backup) });
    await raw.hset(`${prefix}{schedule:restore:0 3 * * *:UTC}:meta`, { last: '1764558000000' });

    expect(await store.outbox('INC-1')).toEqual({
      card: '1700000000.000100',
      channel: 'C1',
      posted: 4,
      reported: true,
    });
    expect(await store.backupStates()).toEqual([backup]);
    expect(await store.scheduleMark('restore:0 3 * * *:UTC')).toBe(1_764_558_000_000);

    await store.recordPosted('INC-2', { card: '1700000000.000200', posted: 2, reported: true });
    expect(await raw.hgetall(`${prefix}{INC-2}:meta`)).toEqual({
      card: '1700000000.000200',
      posted: '2',
      report: '1',
    });
  });

  it('drops a feed entry type this version does not know instead of passing an untyped name on', async () => {
    const prefix = testPrefix();
    const raw = new Redis(REDIS_URL);
    const store = redisStore(prefix);
    cleanups.push(
      () => deletePrefix(prefix),
      () => store.close(),
      () => raw.quit(),
    );
    await raw.xadd(
      `${prefix}feed`,
      '*',
      'incident',
      'INC-9',
      'version',
      '2',
      'types',
      'NoteAdded,IncidentRenamed',
    );
    const [entry] = await store.readFeed('executor', 'r1', 10, 10);
    expect(entry).toMatchObject({ incidentId: 'INC-9', version: 2, types: ['NoteAdded'] });
  });

  it('fails with store-unavailable, the driver error as its cause, when nothing listens', async () => {
    const store = new RedisStore(`redis://127.0.0.1:${await freePort()}`, { prefix: testPrefix() });
    cleanups.push(() => store.close());
    const failure = await store.read('INC-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LifeboatError);
    expect(errorCode(failure)).toBe('store-unavailable');
    expect((failure as LifeboatError).cause).toBeInstanceOf(Error);
  });

  it('fails with store-timeout when Redis holds the connection and does not answer', async () => {
    const redis = await privateRedis();
    cleanups.push(() => redis.stop());
    const store = new RedisStore(redis.url, { prefix: testPrefix() });
    cleanups.push(async () => {
      redis.resume();
      await store.close();
    });
    expect(await store.openIncidents()).toEqual(new Map());
    redis.pause();
    const failure = await store.openIncidents().catch((error: unknown) => error);
    redis.resume();
    expect(errorCode(failure)).toBe('store-timeout');
    expect((failure as LifeboatError).message).toMatch(/did not answer in time/);
  });
});
