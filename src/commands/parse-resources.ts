// The resources and export part of the command language: `share`/`compartir`, `resources`/`recursos`, `resource remove`/`recurso quitar`, `export`/`exportar`. Pure.
import { checkResourceTitle, checkTags, checkUrl } from '../resources.js';
import type { Command, ExportKind } from './command.js';
import { expectEnd, fail, itemNumber, unquote, words, type Token } from './tokens.js';

const SHARE = words('share', 'compartir');
const RESOURCES = words('resources', 'recursos');
const RESOURCE = words('resource', 'recurso');
const REMOVE = words('remove', 'delete', 'rm', 'quitar', 'borrar', 'eliminar');
const ADD = words('add', 'share', 'new', 'agregar', 'anadir', 'compartir', 'nuevo');
const SEARCH = words('search', 'find', 'list', 'buscar', 'ver', 'lista');
const EXPORT = words('export', 'exportar');
const EXPORTS: Record<string, ExportKind> = {
  tasks: 'tasks', tareas: 'tasks',
  polls: 'polls', encuestas: 'polls', votaciones: 'polls', proposals: 'polls', propuestas: 'polls',
  resources: 'resources', recursos: 'resources',
  members: 'members', miembros: 'members', personas: 'members',
};

const isTag = (token: Token) => /^#[^#\s]/.test(token.text);

/** The command when the line is one of these, else undefined (the line is someone else's to read). */
export function parseResourceCommand(text: string, first: Token, rest: Token[]): Command | undefined {
  if (SHARE.has(first.word)) return parseShare(text, rest);
  if (RESOURCES.has(first.word)) return parseSearch(rest);
  if (RESOURCE.has(first.word)) {
    const [sub, ...after] = rest;
    if (!sub || SEARCH.has(sub.word)) return parseSearch(sub ? after : []);
    if (ADD.has(sub.word)) return parseShare(text, after);
    if (REMOVE.has(sub.word)) {
      const number = itemNumber(after[0], 'error.resourceNumberMissing', 'error.resourceNumberInvalid');
      return expectEnd(after.slice(1), { kind: 'resource.remove', resource: { number } });
    }
    throw fail('error.unknownCommand', { input: text.slice(first.start, sub.end) });
  }
  if (EXPORT.has(first.word)) {
    const [what, ...after] = rest;
    if (!what) throw fail('error.exportWhatMissing');
    const kind = Object.hasOwn(EXPORTS, what.word) ? EXPORTS[what.word] : undefined;
    if (!kind) throw fail('error.exportWhatInvalid', { input: what.text });
    return expectEnd(after, { kind: 'export', what: kind });
  }
  return undefined;
}

/** `<url> <title> [#tag …]`: the tags are the words starting with `#` at the end; the title is everything between. */
function parseShare(text: string, tokens: Token[]): Command {
  const [urlToken, ...rest] = tokens;
  if (!urlToken) throw fail('error.resourceUrlMissing');
  const url = checkUrl(urlToken.text);
  let end = rest.length;
  while (end > 0 && isTag(rest[end - 1]!)) end -= 1;
  const title = end > 0 ? unquote(text.slice(rest[0]!.start, rest[end - 1]!.end).trim()) : '';
  const tags = checkTags(rest.slice(end).map((token) => token.text));
  return { kind: 'resource.share', url, title: checkResourceTitle(title), tags };
}

/** `[#tag …] [words]`: tags anywhere filter; the other words are searched for. */
function parseSearch(tokens: Token[]): Command {
  const tags = tokens.filter(isTag).map((token) => token.text);
  const plain = tokens.filter((token) => !isTag(token)).map((token) => unquote(token.text));
  return { kind: 'resource.search', words: plain.join(' ').trim(), tags: checkTags(tags) };
}
