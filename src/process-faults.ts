// What the process does with a failure nothing caught: an unhandled rejection or an uncaught exception is logged with its context, and only a real unknown state stops Minga.
import { isDatabaseUnavailable } from './errors.js';
import type { Logger } from './log.js';

/**
 * postgres.js 3.4 has races when a server goes away under it: a connection's internal type query rejects with nobody
 * listening, and a write scheduled for the next turn of the loop finds its socket already dropped and throws from a
 * timer. Both concern a connection the pool has already given up on (it opens a new one for the next query), so they
 * are logged and Minga serves on. Recognized by the frame of the driver's connection code.
 */
export function isDriverConnectionRace(err: unknown): boolean {
  if (isDatabaseUnavailable(err)) return true;
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  return err instanceof TypeError && /[\\/]postgres[\\/]src[\\/]connection\.js:/.test(stack);
}

export interface FaultHandlers {
  onRejection: (reason: unknown) => void;
  onException: (err: unknown, origin: string) => void;
}

/**
 * The process's last resort. An unhandled rejection is a promise someone forgot to await: logged with its context, and
 * Minga keeps running (Node's default would kill it). An uncaught exception is logged too; one from the database
 * driver's lost connection (see isDriverConnectionRace) is harmless, any other left the process in a state nobody
 * planned for, so `fatal` is called: stop cleanly and exit with 1, for the supervisor to start a fresh process.
 */
export function faultHandlers(log: Logger, fatal: () => void): FaultHandlers {
  return {
    onRejection(reason) {
      if (isDriverConnectionRace(reason)) {
        log.warn({ err: reason, kind: 'unhandledRejection' }, 'database connection lost (unhandled by the driver); Minga keeps running');
        return;
      }
      log.error({ err: reason, kind: 'unhandledRejection' }, 'unhandled rejection; Minga keeps running');
    },
    onException(err, origin) {
      if (isDriverConnectionRace(err)) {
        log.warn({ err, kind: origin }, 'database connection lost (thrown by the driver); Minga keeps running');
        return;
      }
      log.fatal({ err, kind: origin }, 'uncaught exception; Minga stops');
      fatal();
    },
  };
}
