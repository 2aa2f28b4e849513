import type { Store } from '../engine/ports/index.js';
import { MemoryStore } from './memory.js';
import { RedisStore } from './redis.js';

export type OpenedStore = {
  readonly store: Store;
  /** Where the state lives, for the start-up log (no password). */
  readonly where: string;
  /** Whether the store answers now, for /readyz. */
  readonly ping: () => Promise<boolean>;
};

/** Redis when REDIS_URL is set (every replica shares it), else memory for one process. */
export function openBotStore(redisUrl: string | undefined, prefix: string | undefined): OpenedStore {
  if (!redisUrl)
    return {
      store: new MemoryStore(),
      where: 'state in memory: REDIS_URL is not set, so a restart forgets every incident',
      ping: () => Promise.resolve(true),
    };
  const store = new RedisStore(redisUrl, prefix);
  return {
    store,
    where: `state in Redis at ${redisUrl.replace(/\/\/[^@]*@/, '//')}`,
    ping: () => store.ping(),
  };
}
