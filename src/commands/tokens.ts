// Building blocks of the command language: tokens with positions, word sets, and the small checks every command shares. Pure.
import { UserError } from '../errors.js';
import { isLocale, type Locale, type MessageKey, type MessageParams } from '../i18n/index.js';
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

/**
 * Splits into words, keeping "quoted text" and Slack's <@U1|name> escapes whole, with their positions. One pass, so a
 * line costs time in proportion to its length whatever it holds (a regex with nested quantifiers took seconds on
 * 40,000 characters of `<|`). The rules, at each character that is not a space:
 * - `"…"` or `“…”` up to the closing quote, spaces included, when there is one;
 * - `<…>`: the characters up to the first space or `>`, then the `>`; or, when those characters hold a `|`, a name that
 *   may have spaces, up to the next `>` (`<@U1|Ana Pérez>`);
 * - else the characters up to the next space.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const next = nextFinder(text);
  let start = 0;
  while (start < text.length) {
    if (isSpace(text.charCodeAt(start))) {
      start += 1;
      continue;
    }
    const end = quotedEnd(text, start, next) ?? escapeEnd(text, start, next) ?? wordEnd(text, start);
    const word = text.slice(start, end);
    tokens.push({ text: word, word: fold(word), start, end });
    start = end;
  }
  return tokens;
}

function quotedEnd(text: string, start: number, next: NextFinder): number | undefined {
  const close = text[start] === '"' ? '"' : text[start] === '“' ? '”' : undefined;
  if (!close) return undefined;
  const at = next(close, start + 1);
  return at < 0 ? undefined : at + 1;
}

function escapeEnd(text: string, start: number, next: NextFinder): number | undefined {
  if (text[start] !== '<') return undefined;
  let end = start + 1;
  let piped = false;
  for (; end < text.length && text[end] !== '>' && !isSpace(text.charCodeAt(end)); end++) if (text[end] === '|') piped = true;
  if (text[end] === '>') return end + 1;
  if (!piped) return undefined;
  const at = next('>', end);
  return at < 0 ? undefined : at + 1;
}

function wordEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  return end;
}

export type NextFinder = (char: string, from: number) => number;

/**
 * `indexOf` that remembers its last answer per character: tokens only move forward, so an answer at or past `from` (or
 * "none") still holds, and each stretch of text is searched at most once per character.
 */
export function nextFinder(text: string): NextFinder {
  const last = new Map<string, number>();
  return (char, from) => {
    const known = last.get(char);
    if (known !== undefined && (known < 0 || known >= from)) return known;
    const at = text.indexOf(char, from);
    last.set(char, at);
    return at;
  };
}

/** What `\s` matches in a JavaScript regex: ASCII spaces and Unicode's space separators, line breaks and the BOM. */
function isSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
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

const LANGUAGES: Record<string, Locale> = { english: 'en', ingles: 'en', spanish: 'es', espanol: 'es', castellano: 'es' };

/** A language as typed: `es`, `en`, or its name in either language (`spanish`, `español`). */
export function languageWord(token: Pick<Token, 'text' | 'word'>): Locale {
  const locale = isLocale(token.word) ? token.word : Object.hasOwn(LANGUAGES, token.word) ? LANGUAGES[token.word] : undefined;
  if (!locale) throw fail('error.langInvalid', { input: token.text });
  return locale;
}
