// The digest part of the command language: `digest [on [<schedule>] [--lang es|en] | off | now | preview]`, `resumen [activar … | desactivar | ahora | vista previa]`. Pure.
import { phrase, UserError } from '../errors.js';
import type { Locale } from '../i18n/index.js';
import { MAX_WHEN_LENGTH, timeNotUnderstood } from '../time/read.js';
import type { Command } from './command.js';
import { expectEnd, fail, languageWord, words, type Token } from './tokens.js';

export const DIGEST = words('digest', 'digests', 'resumen', 'resumenes');

const SHOW = words('show', 'status', 'ver', 'estado');
const ON = words('on', 'subscribe', 'enable', 'activar', 'suscribir', 'suscribirse');
const OFF = words('off', 'unsubscribe', 'disable', 'stop', 'desactivar', 'desuscribir', 'detener');
const NOW = words('now', 'ahora');
const PREVIEW = words('preview', 'previa', 'vistaprevia');
const LANG_FLAGS = words('lang', 'language', 'idioma', 'lengua');

/** Words of the schedule shown in an error when it is too long to read: enough to recognize it. */
const SHOWN_WORDS = 6;

/** `digest …` and `resumen …`: this channel's subscription, switched, posted now or previewed. */
export function parseDigest(text: string, first: Token, tokens: Token[]): Command {
  const [sub, ...rest] = tokens;
  if (!sub || SHOW.has(sub.word)) return expectEnd(sub ? rest : [], { kind: 'digest.show' });
  if (ON.has(sub.word)) return parseOn(text, rest);
  if (OFF.has(sub.word)) return expectEnd(rest, { kind: 'digest.off' });
  if (NOW.has(sub.word)) return expectEnd(rest, { kind: 'digest.now' });
  if (PREVIEW.has(sub.word)) return expectEnd(rest, { kind: 'digest.preview' });
  // "vista previa" is two words.
  if (sub.word === 'vista' && rest[0]?.word === 'previa') return expectEnd(rest.slice(1), { kind: 'digest.preview' });
  throw fail('error.unknownCommand', { input: text.slice(first.start, sub.end) });
}

const isFlag = (token: Token) => token.text.startsWith('--') || token.text.startsWith('—');

/**
 * `on [<schedule>] [--lang es|en]`: the flag (`--lang es`, `--lang=es`, `--idioma español`) anywhere; every other word is
 * the schedule, kept as typed and read later in the alliance's zone (see digests.ts). Words on both sides of the flag are
 * one schedule ("friday --lang es 17:00" is "friday 17:00").
 */
function parseOn(text: string, tokens: Token[]): Command {
  let locale: Locale | undefined;
  const parts: string[] = [];
  let from: number | undefined;
  let to = 0;
  const closePart = () => {
    if (from !== undefined) parts.push(text.slice(from, to));
    from = undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isFlag(token)) {
      from ??= token.start;
      to = token.end;
      continue;
    }
    closePart();
    const [name = '', value] = token.word.replace(/^(--|—)/, '').split('=');
    if (!LANG_FLAGS.has(name)) throw fail('error.unexpectedInput', { input: token.text });
    if (value !== undefined) {
      locale = languageWord({ text: token.text.slice(token.text.indexOf('=') + 1), word: value });
      continue;
    }
    const next = tokens[i + 1];
    if (!next || isFlag(next)) throw fail('error.langInvalid', { input: '' });
    locale = languageWord(next);
    i += 1;
  }
  closePart();
  const when = parts.join(' ');
  if ([...when].length > MAX_WHEN_LENGTH) throw digestTimeNotUnderstood(shortened(when));
  return { kind: 'digest.on', ...(when && { when }), ...(locale && { locale }) };
}

/** The time reader's refusal, with examples of what a digest takes (one day and a time). */
export function digestTimeNotUnderstood(input: string): UserError {
  const error = timeNotUnderstood(input, 'recurring');
  return new UserError(error.key, { ...error.params, examples: phrase('digest.examples') });
}

function shortened(when: string): string {
  const shown = when.split(/\s+/).slice(0, SHOWN_WORDS).join(' ');
  return `${shown.slice(0, MAX_WHEN_LENGTH)}…`;
}
