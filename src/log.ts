// The process logger: structured JSON lines on stderr, so the console workspace keeps stdout for replies.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'minga' } }, pino.destination(2));
}

export const log = createLogger();
