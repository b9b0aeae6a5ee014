// Bolt's logger interface on our pino logger, so Slack's own messages are JSON lines on stderr like everything else, redacted alike.
import { inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { serializeError, type Logger } from '../../src/log.js';

const toBolt: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  const show = (part: unknown) => inspect(part instanceof Error ? serializeError(part) : part, { depth: 4 });
  const text = (parts: unknown[]) => parts.map((part) => (typeof part === 'string' ? part : show(part))).join(' ');
  // Bolt and its web client log a lot at debug level: format only what will be written.
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (!child.isLevelEnabled(level)) return;
    // An error goes to the `err` field, so it is written like ours (no query values, no request details), not inspected whole.
    const err = parts.find((part) => part instanceof Error);
    if (err === undefined) return child[level](text(parts));
    const rest = parts.filter((part) => part !== err);
    if (rest.length > 0) child[level]({ err }, text(rest));
    else child[level]({ err });
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
