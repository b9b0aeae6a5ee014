// Errors a user caused (answered in their language by message key) as distinct from internal failures (logged with a reference id).
import { randomBytes } from 'node:crypto';
import type { MessageKey } from './i18n/index.js';

/**
 * A part of a message that is itself a message (who may do something, the examples of a time), translated with the rest
 * into the reader's language. Said so explicitly: a plain string, whatever it holds, is shown as it is.
 */
export interface Phrase {
  readonly phrase: MessageKey;
}

export const phrase = (key: MessageKey): Phrase => ({ phrase: key });

export type UserErrorParams = Record<string, string | number | Phrase>;

/** Something the user did wrong: bad input, a missing permission, an unknown number. Never logged as a failure. */
export class UserError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: UserErrorParams = {},
  ) {
    super(key);
    this.name = 'UserError';
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** A short id a user can quote and an operator can find in the logs. */
export function newErrorRef(): string {
  return randomBytes(4).toString('hex');
}

/** Node's socket errors that mean the database server cannot be reached right now. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** postgres.js's own codes for a connection lost, never made, or ended under a query. */
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/**
 * SQLSTATEs of a server going away or not there yet: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or
 * shutting down), too_many_connections; class 08 (connection exception) is matched by its prefix.
 */
const SERVER_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Whether a failure means the database is unreachable for now (restarting, down, out of connections) rather than a bug:
 * such a command is worth trying again in a moment. drizzle wraps the driver's error, so the causes are followed.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let cause = err, depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || CONNECTION_LOST.has(code) || SERVER_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
      return true;
    }
    // Node reports a refused connection to every address of a host (IPv6 and IPv4) as one AggregateError.
    if (cause instanceof AggregateError && cause.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
