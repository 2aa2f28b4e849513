import { afterAll, describe } from '@jest/globals';
import type { Store } from '../../../src/engine/ports/index.js';
import { MemoryStore } from '../../../src/store/memory.js';
import { deletePrefix, redisStore, testPrefix } from '../../support/redis.js';

/** The memory store's clock; tests move it on where Redis's own expiry waits in real time. */
export const clock = { now: 1_000_000 };

/** Moves both stores' time past `ms`: the memory clock at once, Redis by waiting. */
export async function pass(ms: number): Promise<void> {
  clock.now += ms + 1000;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

const opened: Store[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await Promise.all(prefixes.map((p) => deletePrefix(p)));
});

const makers: [string, () => Store][] = [
  ['MemoryStore', () => new MemoryStore(() => clock.now)],
  [
    'RedisStore',
    () => {
      const prefix = testPrefix();
      prefixes.push(prefix);
      return redisStore(prefix);
    },
  ],
];

/**
 * One contract suite of one port, run against both implementations: `fresh()` is an empty store
 * seen only through the port `P`, so a test can use nothing else.
 */
export function contract<P>(port: string, body: (fresh: () => P) => void): void {
  describe.each(makers)(`%s keeps the ${port} contract`, (_name, make) => {
    body(() => {
      const store = make();
      opened.push(store);
      return store as unknown as P;
    });
  });
}
