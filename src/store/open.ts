import { s3Client } from '../actions/s3/client.js';
import type { LifeboatConfig } from '../domain/config.js';
import type { Store } from '../engine/ports/index.js';
import type { StepFiles } from '../engine/step-files.js';
import type { Log } from '../log.js';
import { s3StepFiles } from './s3-step-files.js';
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
export function openBotStore(redisUrl: string | undefined, prefix: string): OpenedStore {
  if (!redisUrl)
    return {
      store: new MemoryStore(),
      where: 'state in memory: REDIS_URL is not set, so a restart forgets every incident',
      ping: () => Promise.resolve(true),
    };
  const store = new RedisStore(redisUrl, { prefix });
  return {
    store,
    where: `state in Redis at ${redisUrl.replace(/\/\/[^@]*@/, '//')}`,
    ping: () => store.ping(),
  };
}

/** The shared store of step files (config stepFiles), or undefined with a warning when each replica keeps its own. */
export function openStepFiles(config: LifeboatConfig, log: Log): StepFiles | undefined {
  if (config.stepFiles)
    return s3StepFiles(s3Client(config.s3), config.stepFiles.bucket, config.stepFiles.prefix);
  log(
    'warn',
    "step files stay in this replica's workdir (config stepFiles is unset): with more than one replica, runbooks that pass files between steps (etcd-snapshot-restore, control-plane-recovery) need stepFiles",
  );
  return undefined;
}
