// The command language: text in English or Spanish → a typed command, or a UserError saying what is wrong. Pure.
import { UserError } from '../errors.js';
import { timeNotUnderstood } from '../time/read.js';
import type { Assignee, Command, TaskFilter } from './command.js';
import { parseMention } from './mentions.js';
import { parseReminderCommand } from './parse-remind.js';
import { checkNotPast, checkOrgName, checkOrgSlug, checkTitle, readDueDate, type DueContext } from './rules.js';
import { parsePoll, parseProposal, parseVote, POLL, PROPOSAL, VOTE } from './parse-poll.js';
import { DIGEST, parseDigest } from './parse-digest.js';
import { parseAllianceLink } from './parse-link.js';
import { parseResourceCommand } from './parse-resources.js';
import { expectEnd, fail, itemNumber, languageWord, tokenize, unquote, words, type Token } from './tokens.js';
import { COORDINATOR_WORDS, HISTORY_WORDS, parseAlliance, parseCoordinator, parseHistory, parseOrgMore } from './parse-roles.js';

export { parseMention };

/** The member's clock, zone and language, for dates in words ("due next friday") and reminders: the same line read later may name another day. */
export type ParseContext = DueContext;

/**
 * The longest command read, in characters. The longest valid one is a poll: a 300-character question and 25 options of 75,
 * quoted, with flags and a deadline, about 2,400 characters; 4,000 leaves room for spacing and is what a person can type.
 * Anything longer is refused before any other work, so no command costs more than reading 4,000 characters.
 */
export const COMMAND_MAX = 4000;

export type ParseResult = { ok: true; command: Command } | { ok: false; error: UserError };

const HELP = words('help', 'ayuda', '?', 'h');
const LANG = words('lang', 'language', 'idioma', 'lengua');
const ALLIANCE = words('alliance', 'alianza');
const TASK = words('task', 'tarea');
const TASKS = words('tasks', 'tareas', 'todo', 'pendientes');
const ORG = words('org', 'orgs', 'organization', 'organizations', 'organizacion', 'organizaciones');
const ADD = words('add', 'new', 'create', 'nueva', 'nuevo', 'crear', 'agregar', 'anadir');
const LIST = words('list', 'ls', 'lista', 'listar', 'ver');
const DONE = words('done', 'complete', 'finish', 'close', 'hecha', 'hecho', 'completar', 'terminar', 'terminada', 'cerrar');
const ASSIGN = words('assign', 'asignar');
const REOPEN = words('reopen', 'reabrir');
const DELETE = words('delete', 'remove', 'rm', 'borrar', 'eliminar');
const REMINDERS = words('reminders', 'reminder', 'recordatorios', 'recordatorio', 'avisos');
const ON = words('on', 'activar', 'activados', 'si');
const OFF = words('off', 'desactivar', 'desactivados', 'no');
const JOIN = words('join', 'unir', 'unirse', 'sumarse');
/** Keywords that always introduce a date: what follows them is a day, or the command is refused. */
const DUE = words('due', 'vence');
/** Keywords that introduce a date only when a day follows ("para la marcha", "fecha de la asamblea" stay in the title). */
const MAYBE_DUE = words('by', 'para', 'fecha');
/**
 * The most words a due date is read from, and the most readings one command may ask for. No day we read takes more
 * words ("el próximo viernes 5 de diciembre de 2026" is 7), and a title rarely holds more than one `by` or `para` near
 * its end; together they bound the work a line can cause, whatever it holds.
 */
const DUE_WORDS_MAX = 12;
const DUE_READINGS_MAX = 3;
const FILTERS: Record<string, TaskFilter> = {
  open: 'open', abiertas: 'open', pendientes: 'open',
  mine: 'mine', my: 'mine', mias: 'mine', mis: 'mine',
  overdue: 'overdue', late: 'overdue', vencidas: 'overdue', atrasadas: 'overdue',
  all: 'all', todas: 'all',
};


export function parseCommand(input: string, context: ParseContext): ParseResult {
  try {
    return { ok: true, command: parseOrThrow(input, context) };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, error: err };
    throw err;
  }
}

function parseOrThrow(input: string, context: ParseContext): Command {
  const text = input.trim();
  const length = text.length > COMMAND_MAX ? [...text].length : text.length;
  if (length > COMMAND_MAX) throw fail('error.commandTooLong', { length, max: COMMAND_MAX });
  let tokens = tokenize(text);
  if (tokens[0]?.word === '/minga' || tokens[0]?.word === 'minga') tokens = tokens.slice(1);
  const [first, ...rest] = tokens;
  if (!first || HELP.has(first.word)) return expectEnd(rest, { kind: 'help' });
  if (LANG.has(first.word)) return parseLang(rest);
  if (TASKS.has(first.word)) return parseTaskList(rest);
  if (TASK.has(first.word)) return parseTask(text, rest, context);
  if (ORG.has(first.word)) return parseOrg(text, rest);
  if (POLL.has(first.word)) return parsePoll(text, first, rest);
  if (PROPOSAL.has(first.word)) return parseProposal(text, rest);
  if (VOTE.has(first.word)) return parseVote(text, rest);
  if (DIGEST.has(first.word)) return parseDigest(text, first, rest);
  if (ALLIANCE.has(first.word)) return parseAllianceLink(rest) ?? parseAlliance(text, rest);
  if (COORDINATOR_WORDS.has(first.word)) return parseCoordinator(text, rest);
  if (HISTORY_WORDS.has(first.word)) return parseHistory(rest);
  const resource = parseResourceCommand(text, first, rest);
  if (resource) return resource;
  const reminder = parseReminderCommand(text, tokens, context);
  if (reminder) return reminder;
  throw fail('error.unknownCommand', { input: first.text });
}

function parseTask(text: string, tokens: Token[], context: ParseContext): Command {
  const [sub, ...rest] = tokens;
  if (!sub || LIST.has(sub.word)) return parseTaskList(rest);
  if (ADD.has(sub.word)) return parseTaskAdd(text, rest, context);
  if (DONE.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'task.done', task: { number: taskNumber(rest[0]) } });
  if (REOPEN.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'task.reopen', task: { number: taskNumber(rest[0]) } });
  if (DELETE.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'task.delete', task: { number: taskNumber(rest[0]) } });
  if (REMINDERS.has(sub.word)) return parseTaskReminders(rest);
  if (ASSIGN.has(sub.word)) {
    const number = taskNumber(rest[0]);
    const who = rest[1];
    if (!who) throw fail('error.assigneeMissing');
    const assignee = parseAssignee(who.text);
    if (!assignee) throw fail('error.assigneeInvalid', { input: who.text });
    return expectEnd(rest.slice(2), { kind: 'task.assign', task: { number }, assignee });
  }
  throw fail('error.unknownCommand', { input: text.slice(0, sub.end) });
}

/** `task reminders [on | off]`: the alliance's reminders of due dates, shown or switched. */
function parseTaskReminders(tokens: Token[]): Command {
  const [state, ...rest] = tokens;
  if (!state) return { kind: 'task.reminders' };
  if (ON.has(state.word)) return expectEnd(rest, { kind: 'task.reminders', enabled: true });
  if (OFF.has(state.word)) return expectEnd(rest, { kind: 'task.reminders', enabled: false });
  throw fail('error.unexpectedInput', { input: state.text });
}

function parseTaskList(tokens: Token[]): Command {
  const [filterWord, ...rest] = tokens;
  if (!filterWord) return { kind: 'task.list', filter: 'open' };
  const filter = FILTERS[filterWord.word];
  if (!filter) throw fail('error.unexpectedInput', { input: filterWord.text });
  return expectEnd(rest, { kind: 'task.list', filter });
}

/**
 * `<title> [@member | org:<slug>] [due <date>] [@member | org:<slug>]`: one assignee, just before or after the due part.
 * The due part is a keyword and every word after it up to the end (or the final assignee), read as a whole by the time
 * reader, so a date takes as many words as it needs ("due next friday", `vence "el 5 de diciembre"`). Keywords are tried
 * from the end; the first whose words name a day is the due part, and the words before it are the title.
 * - `due`, `vence`: the words after it (and after a `by` or `para` right behind it: "due by friday") must name a day, or
 *   the command is refused: they never become part of the title.
 * - `by`, `para`, `fecha`: only when the words after it name a day; else they stay in the title ("para la marcha").
 */
function parseTaskAdd(text: string, tokens: Token[], context: ParseContext): Command {
  if (tokens.length === 0) return { kind: 'task.form' };
  let end = tokens.length;
  let assignee = parseAssignee(tokens[end - 1]!.text);
  if (assignee) end -= 1;
  const due = duePart(text, tokens, end, context);
  if (due) {
    end = due.keyword;
    const before = !assignee && end > 0 ? parseAssignee(tokens[end - 1]!.text) : undefined;
    if (before) {
      assignee = before;
      end -= 1;
    }
  }
  const title = end > 0 ? unquote(text.slice(tokens[0]!.start, tokens[end - 1]!.end).trim()) : '';
  return { kind: 'task.add', title: checkTitle(title), ...(assignee && { assignee }), ...(due && { dueOn: checkNotPast(due.date, context) }) };
}

/** The due part of `tokens[0, end)`: the index of its keyword and the day it names; see `parseTaskAdd`. */
function duePart(text: string, tokens: Token[], end: number, context: ParseContext): { keyword: number; date: string } | undefined {
  let readings = 0;
  for (let keyword = end - 1; keyword >= 0; keyword--) {
    const { word } = tokens[keyword]!;
    const always = DUE.has(word);
    if (!always && !MAYBE_DUE.has(word)) continue;
    // "due by friday": the `by` belongs to the `due` before it, which reads the words after both.
    if (!always && keyword > 0 && DUE.has(tokens[keyword - 1]!.word)) continue;
    const from = always && keyword + 1 < end && MAYBE_DUE.has(tokens[keyword + 1]!.word) ? keyword + 2 : keyword + 1;
    const count = end - from;
    if (count === 0 || (count === 1 && !unquote(tokens[from]!.text))) {
      if (always) throw fail('error.dateMissing');
      continue;
    }
    if (count > DUE_WORDS_MAX || readings === DUE_READINGS_MAX) {
      // Too many words for a date, or too many tries: not read, and shown cut short.
      if (always) throw timeNotUnderstood(shown(text, tokens, from, end), 'day');
      continue;
    }
    readings += 1;
    const said = text.slice(tokens[from]!.start, tokens[end - 1]!.end);
    const date = readDueDate(said, context);
    if (date) return { keyword, date };
    if (always) throw timeNotUnderstood(said, 'day');
  }
  return undefined;
}

/** The words `tokens[from, end)` as typed, the first DUE_WORDS_MAX of them when there are more. */
function shown(text: string, tokens: Token[], from: number, end: number): string {
  const last = Math.min(end, from + DUE_WORDS_MAX);
  return `${text.slice(tokens[from]!.start, tokens[last - 1]!.end)}${last < end ? ' …' : ''}`;
}

function parseLang(tokens: Token[]): Command {
  const [first, second, ...rest] = tokens;
  if (!first) return { kind: 'lang.show' };
  if (ALLIANCE.has(first.word)) {
    if (!second) return { kind: 'lang.show' };
    return expectEnd(rest, { kind: 'lang.set', scope: 'alliance', locale: languageWord(second) });
  }
  return expectEnd(second ? [second, ...rest] : [], { kind: 'lang.set', scope: 'member', locale: languageWord(first) });
}

function parseOrg(text: string, tokens: Token[]): Command {
  const [sub, ...rest] = tokens;
  const more = sub && parseOrgMore(text, sub, rest);
  if (more) return more;
  if (!sub || LIST.has(sub.word)) return expectEnd(sub ? rest : [], { kind: 'org.list' });
  if (ADD.has(sub.word)) {
    const [slugToken, ...nameTokens] = rest;
    const slug = orgSlug(slugToken);
    const name = checkOrgName(nameTokens.length ? unquote(text.slice(nameTokens[0]!.start).trim()) : '');
    return { kind: 'org.add', slug, name };
  }
  if (JOIN.has(sub.word)) {
    const slug = orgSlug(rest[0]);
    const who = rest[1];
    if (!who) return { kind: 'org.join', slug };
    const member = parseMention(who.text);
    if (!member) throw fail('error.assigneeInvalid', { input: who.text });
    return expectEnd(rest.slice(2), { kind: 'org.join', slug, member });
  }
  throw fail('error.unknownCommand', { input: text.slice(0, sub.end) });
}

function orgSlug(token: Token | undefined): string {
  return checkOrgSlug(token?.text ?? '');
}

function taskNumber(token: Token | undefined): number {
  return itemNumber(token, 'error.taskNumberMissing', 'error.taskNumberInvalid');
}

export function parseAssignee(text: string): Assignee | undefined {
  const org = /^org:([a-z0-9][a-z0-9-]{1,31})$/i.exec(text);
  if (org) return { kind: 'organization', slug: org[1]!.toLowerCase() };
  const member = parseMention(text);
  return member && { kind: 'member', member };
}


