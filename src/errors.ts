// Errors a user caused (answered in their language by message key) as distinct from internal failures (logged with a reference id).
import { randomBytes } from 'node:crypto';
import type { MessageKey, MessageParams } from './i18n/index.js';

/** Something the user did wrong: bad input, a missing permission, an unknown number. Never logged as a failure. */
export class UserError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
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
