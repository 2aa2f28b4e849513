import { pino, type Logger } from 'pino';
import { redactDeep, redactor } from './engine/redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** A log that puts `fields` on every line, e.g. `{ incident, step }` where both are known. */
export function withFields(log: Log, fields: Record<string, unknown>): Log {
  return (level, message, more = {}) => log(level, message, { ...fields, ...more });
}

/** For parts that log only when given a log. */
export const silent: Log = () => undefined;

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
    if (!logger.isLevelEnabled(level)) return;
    // Redact the values, then let pino serialize them: rewriting serialized JSON breaks on escaped quotes.
    logger[level](redactDeep(fields, redact), redact(message));
  };
  return { log, logger };
}
