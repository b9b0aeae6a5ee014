// The command language: text in English or Spanish → a typed command, or a UserError saying what is wrong. Pure.
import { UserError } from '../errors.js';
import { isLocale, type Locale } from '../i18n/index.js';
import { dateArticles, parseDateWord } from '../time/dates.js';
import type { Assignee, Command, TaskFilter } from './command.js';
import { parseMention } from './mentions.js';
import { parseReminderCommand } from './parse-remind.js';
import { checkDueDate, checkOrgName, checkOrgSlug, checkTitle } from './rules.js';
import { parsePoll, parseProposal, parseVote, POLL, PROPOSAL, VOTE } from './parse-poll.js';
import { expectEnd, fail, itemNumber, tokenize, unquote, words, type Token } from './tokens.js';

export { parseMention };

export interface ParseContext {
  /** Today in the member's time zone, YYYY-MM-DD, for words like "tomorrow". */
  today: string;
  /** Now, and the member's zone: where a reminder's time ends is found by reading it. Unset: noon UTC of `today`. */
  now?: Date;
  timeZone?: string;
}

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
const JOIN = words('join', 'unir', 'unirse', 'sumarse');
/** Keywords that always introduce a date. */
const DUE = words('due', 'vence', 'fecha');
/** Keywords that introduce a date only when a date follows ("para la marcha" stays in the title). */
const MAYBE_DUE = words('by', 'para');
const FILTERS: Record<string, TaskFilter> = {
  open: 'open', abiertas: 'open', pendientes: 'open',
  mine: 'mine', my: 'mine', mias: 'mine', mis: 'mine',
  overdue: 'overdue', late: 'overdue', vencidas: 'overdue', atrasadas: 'overdue',
  all: 'all', todas: 'all',
};
const LANGUAGES: Record<string, Locale> = { english: 'en', ingles: 'en', spanish: 'es', espanol: 'es', castellano: 'es' };


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
  const reminder = parseReminderCommand(text, tokens, { now: context.now ?? new Date(`${context.today}T12:00:00Z`), timeZone: context.timeZone ?? 'UTC' });
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

function parseTaskList(tokens: Token[]): Command {
  const [filterWord, ...rest] = tokens;
  if (!filterWord) return { kind: 'task.list', filter: 'open' };
  const filter = FILTERS[filterWord.word];
  if (!filter) throw fail('error.unexpectedInput', { input: filterWord.text });
  return expectEnd(rest, { kind: 'task.list', filter });
}

/** `<title> [@member | org:<slug>] [due <date>]`, the two trailing parts in either order. */
function parseTaskAdd(text: string, tokens: Token[], context: ParseContext): Command {
  let end = tokens.length;
  let assignee: Assignee | undefined;
  let dueOn: string | undefined;
  for (let pass = 0; pass < 2 && end > 0; pass++) {
    const last = tokens[end - 1]!;
    const mentioned = assignee ? undefined : parseAssignee(last.text);
    if (mentioned) {
      assignee = mentioned;
      end -= 1;
      continue;
    }
    if (dueOn) break;
    if (DUE.has(last.word)) throw fail('error.dateMissing');
    const withArticle = end >= 3 && dateArticles.has(tokens[end - 2]!.word);
    const keyword = tokens[end - (withArticle ? 3 : 2)];
    if (!keyword || !(DUE.has(keyword.word) || MAYBE_DUE.has(keyword.word))) break;
    if (MAYBE_DUE.has(keyword.word) && !parseDateWord(last.text, context.today)) break;
    dueOn = checkDueDate(last.text, context.today);
    end -= withArticle ? 3 : 2;
  }
  const title = end > 0 ? unquote(text.slice(tokens[0]!.start, tokens[end - 1]!.end).trim()) : '';
  if (!title && tokens.length === 0) return { kind: 'task.form' };
  return { kind: 'task.add', title: checkTitle(title), ...(assignee && { assignee }), ...(dueOn && { dueOn }) };
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

function languageWord(token: Token): Locale {
  const locale = isLocale(token.word) ? token.word : LANGUAGES[token.word];
  if (!locale) throw fail('error.langInvalid', { input: token.text });
  return locale;
}

function parseOrg(text: string, tokens: Token[]): Command {
  const [sub, ...rest] = tokens;
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


