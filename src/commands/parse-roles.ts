// The command language of the alliance's structure: `alliance`, the newer `org` subcommands, `coordinator`, `history`, in English and Spanish. Pure.
import type { Command, HistoryAbout, MemberMention } from './command.js';
import { parseMention } from './mentions.js';
import { POLL } from './parse-poll.js';
import { checkLength, checkOrgName, checkOrgSlug, ORG_NAME_MAX } from './rules.js';
import { expectEnd, fail, itemNumber, unquote, words, type Token } from './tokens.js';

const SHOW = words('show', 'info', 'ver', 'mostrar');
const RENAME = words('rename', 'renombrar');
const LEAVE = words('leave', 'quit', 'salir', 'dejar', 'abandonar');
const REMOVE = words('remove', 'delete', 'rm', 'quitar', 'eliminar', 'borrar', 'sacar');
const ADD = words('add', 'new', 'agregar', 'anadir', 'sumar', 'nuevo', 'nueva');
const LIST = words('list', 'ls', 'lista', 'listar', 'ver');
export const COORDINATOR_WORDS = words('coordinator', 'coordinators', 'coord', 'coordinador', 'coordinadora', 'coordinadores', 'coordinadoras', 'coordinacion');
export const HISTORY_WORDS = words('history', 'historial', 'historia');
const TASK = words('task', 'tarea');
const ORG = words('org', 'organization', 'organizacion');
const PAGE = words('page', 'pagina', 'pag');

/** The longest alliance name: as long as an organization's. */
export const ALLIANCE_NAME_MAX = ORG_NAME_MAX;

/**
 * `alliance <sub> …`: each subcommand's words and how to read the rest. Other subcommands (link, join, unlink, channel)
 * are added here as rows; an unknown one is refused, and none shows the alliance.
 */
const ALLIANCE_SUBCOMMANDS: [Set<string>, (text: string, rest: Token[]) => Command][] = [
  [SHOW, (_text, rest) => expectEnd(rest, { kind: 'alliance.show' })],
  [RENAME, (text, rest) => ({ kind: 'alliance.rename', name: checkAllianceName(restText(text, rest)) })],
];

/** `alliance`, `alliance show`, `alliance rename "Name"`, in either language. `tokens` follow the first word. */
export function parseAlliance(text: string, tokens: Token[]): Command {
  const [sub, ...rest] = tokens;
  if (!sub) return { kind: 'alliance.show' };
  const row = ALLIANCE_SUBCOMMANDS.find(([names]) => names.has(sub.word));
  if (!row) throw fail('error.unknownCommand', { input: text.slice(0, sub.end) });
  return row[1](text, rest);
}

/** The alliance's name: present, at most 100 characters (structured commands skip the parser, so the handler checks too). */
export function checkAllianceName(input: string): string {
  return checkLength(input, ALLIANCE_NAME_MAX, 'error.allianceNameMissing', 'error.orgNameTooLong');
}

/**
 * `org leave [<slug>] [@member]`, `org show <slug>`, `org rename <slug> "Name"`, `org remove <slug>`: the subcommand word
 * and what follows; undefined when the word is none of these (the caller goes on). `org ver` alone stays the list.
 */
export function parseOrgMore(text: string, sub: Token, rest: Token[]): Command | undefined {
  if (LEAVE.has(sub.word)) {
    const [first, second, ...more] = rest;
    if (!first) return { kind: 'org.leave' };
    const alone = parseMention(first.text);
    if (alone) return expectEnd(rest.slice(1), { kind: 'org.leave', member: alone });
    const slug = checkOrgSlug(first.text);
    if (!second) return { kind: 'org.leave', slug };
    return expectEnd(more, { kind: 'org.leave', slug, member: mention(second) });
  }
  if (SHOW.has(sub.word) && rest.length > 0) return expectEnd(rest.slice(1), { kind: 'org.show', slug: checkOrgSlug(rest[0]!.text) });
  if (RENAME.has(sub.word)) {
    const [slugToken, ...nameTokens] = rest;
    return { kind: 'org.rename', slug: checkOrgSlug(slugToken?.text ?? ''), name: checkOrgName(restText(text, nameTokens)) };
  }
  if (REMOVE.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'org.remove', slug: checkOrgSlug(rest[0]?.text ?? '') });
  return undefined;
}

/** `coordinators`, `coordinator add @member`, `coordinator remove @member` (`coordinacion`, `coordinacion agregar @persona`…). */
export function parseCoordinator(text: string, tokens: Token[]): Command {
  const [sub, ...rest] = tokens;
  if (!sub || LIST.has(sub.word)) return expectEnd(sub ? rest : [], { kind: 'coordinator.list' });
  if (ADD.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'coordinator.add', member: mention(rest[0]) });
  if (REMOVE.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'coordinator.remove', member: mention(rest[0]) });
  throw fail('error.unknownCommand', { input: text.slice(0, sub.end) });
}

/** `history [task N | poll N | org <slug>] [page N]` / `historial [tarea N | encuesta N | org <sigla>] [pagina N]`. */
export function parseHistory(tokens: Token[]): Command {
  let rest = tokens;
  let about: HistoryAbout | undefined;
  const [what, value] = rest;
  if (what && TASK.has(what.word)) {
    about = { kind: 'task', number: itemNumber(value, 'error.taskNumberMissing', 'error.taskNumberInvalid') };
    rest = rest.slice(2);
  } else if (what && POLL.has(what.word)) {
    about = { kind: 'poll', number: itemNumber(value, 'error.pollNumberMissing', 'error.pollNumberInvalid') };
    rest = rest.slice(2);
  } else if (what && ORG.has(what.word)) {
    about = { kind: 'org', slug: checkOrgSlug(value?.text ?? '') };
    rest = rest.slice(2);
  } else if (what && /^org:/i.test(what.text)) {
    about = { kind: 'org', slug: checkOrgSlug(what.text) };
    rest = rest.slice(1);
  }
  let page = 1;
  const [pageWord, pageNumber] = rest;
  if (pageWord && PAGE.has(pageWord.word)) {
    page = itemNumber(pageNumber, 'error.pageMissing', 'error.pageInvalid');
    rest = rest.slice(2);
  }
  return expectEnd(rest, { kind: 'history', ...(about && { about }), page });
}

function mention(token: Token | undefined): MemberMention {
  if (!token) throw fail('error.memberMissing');
  const member = parseMention(token.text);
  if (!member) throw fail('error.memberInvalid', { input: token.text });
  return member;
}

/** Everything from the first of `tokens` to the end of the line, unquoted; empty when there is none. */
function restText(text: string, tokens: Token[]): string {
  return tokens.length ? unquote(text.slice(tokens[0]!.start).trim()) : '';
}
