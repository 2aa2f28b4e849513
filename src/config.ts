import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { LifeboatConfig } from './domain/config.js';
import { Duration } from './domain/duration.js';

/** Every Redis key's start unless LIFEBOAT_REDIS_PREFIX names another. */
export const DEFAULT_REDIS_PREFIX = 'lifeboat:';

/** Environment the bot reads at start; each variable is checked, and a bad one stops the process with one line. */
const Env = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xox[bp]-/, { message: 'must be a bot token (xoxb-…)' }),
  SLACK_SIGNING_SECRET: z.string().min(8, { message: 'must be the app signing secret' }),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, { message: 'must be an app-level token (xapp-…)' })
    .optional(),
  SLACK_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The address to listen on; all interfaces when unset (a pod), loopback for the demo. */
  HOST: z.string().min(1).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'must be redis://host:port or rediss://…' })
    .optional(),
  LIFEBOAT_REDIS_PREFIX: z.string().min(1).default(DEFAULT_REDIS_PREFIX),
  LIFEBOAT_RUNBOOKS: z.string().min(1).default('runbooks'),
  LIFEBOAT_CONFIG: z.string().min(1).optional(),
  LIFEBOAT_WORKDIR: z.string().min(1).optional(),
  LIFEBOAT_COMMAND: z
    .string()
    .regex(/^\/[a-z0-9_-]+$/, { message: 'must be a slash command like /dr' })
    .default('/dr'),
  LIFEBOAT_REPLICA: z.string().min(1).optional(),
  /** How long a dead replica's running step stays claimed before another replica calls it interrupted. */
  LIFEBOAT_LEASE: Duration.default('30s'),
  /** 32 bytes, base64: seals secret params in the stream. The same on every replica. */
  LIFEBOAT_SECRET_KEY: z
    .string()
    .refine((key) => Buffer.from(key, 'base64').length === 32, {
      message: 'must be 32 bytes, base64 (openssl rand -base64 32)',
    })
    .optional(),
});
export type Env = z.infer<typeof Env>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; the error names the variable and what is wrong with it, in one line. */
export function readEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const result = Env.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const missing = env[name] === undefined;
  throw new ConfigError(`${name}: ${missing ? 'is not set' : (issue?.message ?? 'is not valid')}`);
}

/** Reads the optional LIFEBOAT_CONFIG file; no file means the defaults (anyone may respond, one approval). */
export async function readConfigFile(file: string | undefined): Promise<LifeboatConfig> {
  if (!file) return LifeboatConfig.parse({});
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`LIFEBOAT_CONFIG: cannot read ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new ConfigError(
      `LIFEBOAT_CONFIG: ${file} is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`,
    );
  }
  const result = LifeboatConfig.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'the file';
  const what =
    issue?.code === 'unrecognized_keys'
      ? `unknown key ${issue.keys.join(', ')}`
      : (issue?.message ?? 'invalid');
  throw new ConfigError(`LIFEBOAT_CONFIG: ${file}: ${where}: ${what}`);
}
