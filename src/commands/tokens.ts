// Building blocks of the command language: tokens with positions, word sets, and the small checks every command shares. Pure.
import { UserError } from '../errors.js';
import type { MessageKey, MessageParams } from '../i18n/index.js';
import { fold } from '../time/dates.js';

export interface Token {
  /** As typed. */
  text: string;
  /** Folded (lower case, no accents) for matching command words. */
  word: string;
  start: number;
  end: number;
}

export const words = (...list: string[]) => new Set(list);

export const fail = (key: MessageKey, params?: MessageParams) => new UserError(key, params);

/** Splits into words, keeping "quoted text" and Slack's <@U1|name> escapes whole, with their positions. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/"[^"]*"|“[^”]*”|<[^>\s]*(?:\|[^>]*)?>|\S+/g)) {
    tokens.push({ text: match[0], word: fold(match[0]), start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

export function isQuoted(text: string): boolean {
  return /^"[^"]*"$|^“[^”]*”$/.test(text);
}

export function unquote(text: string): string {
  return isQuoted(text) ? text.slice(1, -1).trim() : text;
}

/** A number such as 3 or #3; `missing` and `invalid` name the errors to give. */
export function itemNumber(token: Token | undefined, missing: MessageKey, invalid: MessageKey): number {
  if (!token) throw fail(missing);
  const digits = /^#?(\d{1,9})$/.exec(token.text);
  const number = digits ? Number(digits[1]) : 0;
  if (number < 1) throw fail(invalid, { input: token.text });
  return number;
}

export function expectEnd<T>(rest: Token[], command: T): T {
  if (rest.length > 0) throw fail('error.unexpectedInput', { input: rest.map((token) => token.text).join(' ') });
  return command;
}
