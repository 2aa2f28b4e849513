import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePort } from '../../src/sandbox/ports.js';
import { RedisStore } from '../../src/store/redis.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix per test: tests share the machine's Redis and never FLUSHALL it. */
export function testPrefix(): string {
  return `lifeboat-test:${randomBytes(6).toString('hex')}:`;
}

export function redisStore(prefix = testPrefix(), url = REDIS_URL): RedisStore {
  return new RedisStore(url, { prefix });
}

export { freePort };

/** A private redis-server with an append-only file, for restart tests. */
export async function privateRedis(): Promise<{
  url: string;
  restart: () => Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers, as behind a network partition. */
  pause: () => void;
  resume: () => void;
  stop: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-redis-'));
  const port = await freePort();
  let server: ResultPromise | undefined;
  const start = async (): Promise<void> => {
    server = execa(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        dir,
        '--save',
        '',
      ],
      { reject: false },
    );
    for (let i = 0; i < 100; i++) {
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not start');
  };
  const stop = async (): Promise<void> => {
    server?.kill('SIGTERM');
    await server;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await stop();
      await start();
    },
    pause: () => void server?.kill('SIGSTOP'),
    resume: () => void server?.kill('SIGCONT'),
    stop: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

/** Removes every key a test wrote under its prefix. */
export async function deletePrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
