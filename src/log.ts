import { pino, type Logger } from 'pino';
import { redactor } from './engine/redact.js';

export type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

/** Structured JSON logs; every line passes through the same redaction as everything else the bot writes. */
export function createLog(options: { level?: string; destination?: NodeJS.WritableStream } = {}): {
  log: Log;
  logger: Logger;
} {
  const redact = redactor(process.env);
  const logger = pino(
    { level: options.level ?? process.env.LOG_LEVEL ?? 'info', base: { service: 'lifeboat' } },
    options.destination as never,
  );
  const log: Log = (level, message, fields = {}) => {
    logger[level](JSON.parse(redact(JSON.stringify(fields))) as object, redact(message));
  };
  return { log, logger };
}
