// Text that comes from people and platforms, made safe to keep and to show: no control characters, no bidi overrides, no half characters. Pure.

/**
 * What is removed: C0 controls but tab and line feed (a NUL byte is refused by PostgreSQL's text type, the rest are
 * invisible), DEL and the C1 controls, and the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
 * which can make a title read backwards or hide part of it. Marks such as U+200E and joiners in emoji stay: they do no harm.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Half of a surrogate pair without its other half: not a character, and not valid UTF-8 once stored. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The same two, tested without replacing: most text has neither, and every command cleans every string it carries. */
const NEEDS_CLEANING = new RegExp(`${UNSAFE.source.slice(0, -1)}\\uD800-\\uDFFF]`);

/** The text without control characters and bidi overrides, and with a replacement character for any half character. */
export function cleanText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(UNSAFE, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** Every string inside a value (a command, a requester), cleaned; numbers, booleans and the shape stay as they are. */
export function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanStrings) as T;
  if (typeof value === 'object' && value !== null) {
    const cleaned: Record<string, unknown> = {};
    for (const key of Object.keys(value)) cleaned[key] = cleanStrings((value as Record<string, unknown>)[key]);
    return cleaned as T;
  }
  return value;
}
