import { DEFAULT_REDIS_PREFIX } from '../config.js';
import { LifeboatError } from '../errors.js';
import { RedisStore } from '../store/redis.js';

/** The bot's state for CLI commands: the same Redis the bot uses (REDIS_URL, LIFEBOAT_REDIS_PREFIX). */
export function openStore(env: Readonly<Record<string, string | undefined>> = process.env): RedisStore {
  const url = env.REDIS_URL;
  if (!url)
    throw new LifeboatError(
      'config-invalid',
      'REDIS_URL is not set: point it at the Redis the bot uses (e.g. redis://127.0.0.1:6379)',
    );
  return new RedisStore(url, { prefix: env.LIFEBOAT_REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX });
}
