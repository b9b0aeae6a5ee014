// The reminder part of the command language: `remind <who> <when> <what>` in either order and language, reminder lists and cancels, and time zones. Pure.
import { MAX_WHEN_LENGTH, readWhen, timeNotUnderstood, type ReadContext } from '../time/read.js';
import type { Command, ReminderTarget } from './command.js';
import { parseChannel, parseMention } from './mentions.js';
import { expectEnd, fail, isQuoted, itemNumber, unquote, words, type Token } from './tokens.js';

/** What a reminder's text may hold, as the database allows. */
export const REMINDER_TEXT_MAX = 1000;

/**
 * The most words a time in a reminder may take: the time reader's longest expression ("el primer lunes de cada mes a
 * las 9 y media de la mañana") is 13. It bounds the search for where the time ends: at most this many readings each way.
 */
export const WHEN_WORDS_MAX = 16;

/** Words that start a reminder; the ones that name their target themselves ("recuérdame") map to it. */
const REMIND = words('remind', 'recordar', 'recuerda', 'recuerdale', 'avisar', 'avisa', 'avisale');
const REMIND_ME = words('remindme', 'recuerdame', 'recordarme', 'avisame', 'avisarme');
const REMINDER = words('reminder', 'reminders', 'recordatorio', 'recordatorios', 'aviso', 'avisos');
const TIME_ZONE = words('timezone', 'tz', 'zone', 'zona', 'zonahoraria');

const LIST = words('list', 'ls', 'lista', 'listar', 'ver');
const CANCEL = words('cancel', 'delete', 'remove', 'rm', 'stop', 'cancelar', 'borrar', 'eliminar', 'quitar');
const ADD = words('add', 'new', 'create', 'set', 'nuevo', 'nueva', 'crear', 'agregar', 'anadir', 'poner');
const ME = words('me', 'myself', 'mi', 'yo');
const HERE = words('here', 'aqui', 'aca');
/** Spanish puts "a" before whom: `recordar a @ana …`, `recuérdale a org:fdh …`. */
const TO_WHOM = words('a');
/** The Slack-style order, what before when: `remind me to <what> <when>`, `recuérdame que <qué> <cuándo>`. */
const WHAT_FIRST = words('to', 'que');
const ALLIANCE = words('alliance', 'alianza');
const EVERYWHERE = words('everywhere', 'en-todas-partes', 'todas-partes');
const AUTO = words('auto', 'automatic', 'automatica', 'automatico', 'platform', 'plataforma', 'slack', 'reset');

export interface RemindContext {
  now: Date;
  timeZone: string;
}

/** A reminder or time zone command, or undefined when the first word is none of ours. */
export function parseReminderCommand(text: string, tokens: Token[], context: RemindContext): Command | undefined {
  const [first, ...rest] = tokens;
  if (!first) return undefined;
  if (REMIND_ME.has(first.word)) return parseReminder(text, { kind: 'me' }, rest, context);
  if (REMIND.has(first.word)) return parseRemind(text, rest, context);
  if (REMINDER.has(first.word)) return parseReminderSub(text, first, rest, context);
  // "time zone" and "zona horaria" are two words; "time" alone is no command of ours.
  if (first.word === 'time' && rest[0]?.word === 'zone') return parseTimeZone(rest.slice(1));
  if (TIME_ZONE.has(first.word)) return parseTimeZone(first.word === 'zona' && rest[0]?.word === 'horaria' ? rest.slice(1) : rest);
  return undefined;
}

/** `remind list`, `remind cancel 2`, or `remind <who> …`. */
function parseRemind(text: string, tokens: Token[], context: RemindContext): Command {
  const [sub, ...rest] = tokens;
  if (!sub) throw fail('error.reminderTargetMissing');
  if (LIST.has(sub.word)) return expectEnd(rest, { kind: 'reminder.list' });
  if (CANCEL.has(sub.word)) return cancel(rest);
  const [who, ...body] = TO_WHOM.has(sub.word) && rest.length > 0 ? rest : tokens;
  // `remind everywhere …`, `recordar en todas partes …`: the home channel of every linked workspace.
  const everywhere = everywhereWords(who!, body);
  if (everywhere !== undefined) return parseReminder(text, { kind: 'everywhere' }, body.slice(everywhere), context);
  return parseReminder(text, target(who!), body, context);
}

/** How many more words after `first` say "everywhere" (`everywhere`: 0; `en todas partes`: 2), or undefined when they do not. */
function everywhereWords(first: Token, after: Token[]): number | undefined {
  if (EVERYWHERE.has(first.word)) return 0;
  if (first.word === 'en' && after[0]?.word === 'todas' && after[1]?.word === 'partes') return 2;
  return undefined;
}

/** `reminders`, `recordatorio lista`, `recordatorio cancelar 2`, `reminder add <who> …`. */
function parseReminderSub(text: string, first: Token, tokens: Token[], context: RemindContext): Command {
  const [sub, ...rest] = tokens;
  if (!sub || LIST.has(sub.word)) return expectEnd(sub ? rest : [], { kind: 'reminder.list' });
  if (CANCEL.has(sub.word)) return cancel(rest);
  if (ADD.has(sub.word)) return parseRemind(text, rest, context);
  throw fail('error.unknownCommand', { input: text.slice(first.start, sub.end) });
}

function cancel(tokens: Token[]): Command {
  const number = itemNumber(tokens[0], 'error.reminderNumberMissing', 'error.reminderNumberInvalid');
  return expectEnd(tokens.slice(1), { kind: 'reminder.cancel', reminder: { number } });
}

/** Whom to remind, as each platform writes it. */
function target(token: Token): ReminderTarget {
  if (ME.has(token.word)) return { kind: 'me' };
  if (HERE.has(token.word)) return { kind: 'here' };
  const org = /^org:([a-z0-9][a-z0-9-]{1,31})$/i.exec(token.text);
  if (org) return { kind: 'organization', slug: org[1]!.toLowerCase() };
  const channel = parseChannel(token.text);
  if (channel) return { kind: 'channel', channel };
  const member = parseMention(token.text);
  if (member) return { kind: 'member', member };
  throw fail('error.reminderTargetInvalid', { input: token.text });
}

/**
 * `<when> <what>`, or `to <what> <when>` / `que <qué> <cuándo>`. The time is the longest run of words at the start (or,
 * after "to"/"que", at the end) that the time reader understands entirely, so nothing is guessed: "mañana a las 9
 * revisar el informe" is "mañana a las 9" and "revisar el informe". Without "to"/"que", a time at the end is taken only
 * when none starts the text (`recuérdame revisar el informe mañana`): the start wins, as the documented order.
 */
function parseReminder(text: string, target: ReminderTarget, tokens: Token[], context: RemindContext): Command {
  if (tokens.length === 0) throw fail('error.reminderWhenMissing');
  const whatFirst = WHAT_FIRST.has(tokens[0]!.word) && tokens.length > 1;
  const body = whatFirst ? tokens.slice(1) : tokens;
  const read = (from: number, to: number) => understood(text.slice(body[from]!.start, body[to - 1]!.end), context);
  // All of it a time ("remind me tomorrow 9am"): nothing is left to remind of, however it could be cut.
  if (read(0, body.length)) throw fail('error.reminderTextMissing');
  let split = whatFirst ? undefined : longestStart(body, read);
  if (split) return reminder(text, target, split.when, body.slice(split.length));
  split = longestEnd(body, read);
  if (split) return reminder(text, target, split.when, body.slice(0, body.length - split.length));
  // No time where one should be: at the start, or at the end after "to"/"que".
  throw timeNotUnderstood(whatFirst ? lastWords(body, text) : firstWords(body, text), 'moment');
}

type Reader = (from: number, to: number) => string | undefined;

function longestStart(body: Token[], read: Reader): { when: string; length: number } | undefined {
  for (let length = Math.min(WHEN_WORDS_MAX, body.length - 1); length >= 1; length--) {
    const when = read(0, length);
    if (when) return { when, length };
  }
  return undefined;
}

function longestEnd(body: Token[], read: Reader): { when: string; length: number } | undefined {
  for (let length = Math.min(WHEN_WORDS_MAX, body.length - 1); length >= 1; length--) {
    const when = read(body.length - length, body.length);
    if (when) return { when, length };
  }
  return undefined;
}

/** The text, when the time reader understands all of it as a moment, a day or a recurring time. */
function understood(when: string, context: RemindContext): string | undefined {
  if (when.length > MAX_WHEN_LENGTH) return undefined;
  const reading: ReadContext = { now: context.now, timeZone: context.timeZone };
  return readWhen(when, reading).ok ? when : undefined;
}

function reminder(text: string, target: ReminderTarget, when: string, what: Token[]): Command {
  // "remind me tomorrow to call Ana", "recuérdame mañana que llame a Ana": the "to"/"que" is not part of what.
  const words = what.length > 1 && WHAT_FIRST.has(what[0]!.word) ? what.slice(1) : what;
  const raw = text.slice(words[0]!.start, words[words.length - 1]!.end).trim();
  const message = words.length === 1 && isQuoted(raw) ? unquote(raw) : raw;
  if (!message) throw fail('error.reminderTextMissing');
  const length = [...message].length;
  if (length > REMINDER_TEXT_MAX) throw fail('error.reminderTextTooLong', { length, max: REMINDER_TEXT_MAX });
  return { kind: 'reminder.create', target, when, text: message };
}

/** Where the time should have been, for the error: a few words to recognize, never the whole of a long text. */
const SHOWN_WORDS = 6;

function firstWords(body: Token[], text: string): string {
  const shown = body.slice(0, SHOWN_WORDS);
  const cut = text.slice(shown[0]!.start, shown[shown.length - 1]!.end);
  return shown.length < body.length ? `${cut}…` : cut;
}

function lastWords(body: Token[], text: string): string {
  const shown = body.slice(-SHOWN_WORDS);
  const cut = text.slice(shown[0]!.start, shown[shown.length - 1]!.end);
  return shown.length < body.length ? `…${cut}` : cut;
}

/** `timezone`, `timezone America/Lima`, `timezone auto`, `timezone alliance America/Bogota`. */
function parseTimeZone(tokens: Token[]): Command {
  const [first, second, ...rest] = tokens;
  if (!first) return { kind: 'timezone.show' };
  if (ALLIANCE.has(first.word)) {
    if (!second) return { kind: 'timezone.show' };
    return expectEnd(rest, { kind: 'timezone.set', scope: 'alliance', zone: second.text });
  }
  const zone = AUTO.has(first.word) ? null : first.text;
  return expectEnd(second ? [second, ...rest] : [], { kind: 'timezone.set', scope: 'member', zone });
}
