// Bolt's logger interface on our pino logger, so Slack's own messages are JSON lines on stderr like everything else.
import { inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

const toBolt: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  const text = (parts: unknown[]) => parts.map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 4 }))).join(' ');
  // Bolt and its web client log a lot at debug level: format only what will be written.
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (child.isLevelEnabled(level)) child[level](text(parts));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    // The level is LOG_LEVEL's; Bolt asking for another is ignored so one variable rules all logs.
    setLevel: () => {},
    getLevel: () => toBolt[child.level] ?? LogLevel.ERROR,
    setName: () => {},
  };
}
