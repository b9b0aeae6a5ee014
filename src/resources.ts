// The alliance's shared resources (guides, toolkits, experiences): share, search in Spanish and English at once, remove.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { members, resources } from '../db/schema.js';
import { checkLength } from './commands/rules.js';
import { UserError } from './errors.js';
import { recordChange } from './history.js';
import { memberName, type Actor } from './identity.js';
import { authorize } from './permissions.js';
import { nextNumber } from './numbers.js';
import { fold } from './time/dates.js';

/** The longest url kept (the table allows 2,000): longer ones are almost always tracking noise or pasted by mistake. */
export const URL_MAX = 2000;
export const RESOURCE_TITLE_MAX = 200;
export const TAGS_MAX = 10;
export const TAG_MAX = 40;
/** How many resources a search shows; the rest are counted as "…and N more". */
export const RESOURCE_LIST_MAX = 10;
/** The most characters of a search read: a few words are what a person types; more would only cost the database. */
export const QUERY_MAX = 200;

export type ResourceRow = typeof resources.$inferSelect;

export interface ResourceView {
  number: number;
  url: string;
  title: string;
  tags: string[];
  /** `@name` of who shared it; null once they are gone. */
  sharedBy: string | null;
  createdAt: Date;
}

/** A url a person may open: http or https, with a host, at most URL_MAX characters; anything else is the user's error. */
export function checkUrl(input: string): string {
  // Slack and Discord users paste `<https://…>` to stop previews; the brackets are not part of the address.
  const trimmed = checkLength(input.trim().replace(/^<(.*)>$/, '$1'), URL_MAX, 'error.resourceUrlMissing', 'error.resourceUrlTooLong');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UserError('error.resourceUrlInvalid', { input: shorten(trimmed) });
  }
  // javascript:, data:, file: and the like would run or read something on the reader's machine: only the web.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new UserError('error.resourceUrlInvalid', { input: shorten(trimmed) });
  }
  return trimmed;
}

/** A resource's title, trimmed: 1 to 200 characters. */
export function checkResourceTitle(input: string): string {
  return checkLength(input, RESOURCE_TITLE_MAX, 'error.resourceTitleMissing', 'error.titleTooLong');
}

const TAG_PATTERN = new RegExp(`^[\\p{L}\\p{N}_-]{1,${TAG_MAX}}$`, 'u');

/** One tag as typed (`#Organización`) → `organizacion`: lower case, no accents, letters, digits, `-` and `_`. */
export function checkTag(input: string): string {
  const tag = fold(input.trim().replace(/^#/, ''));
  if (!TAG_PATTERN.test(tag)) throw new UserError('error.resourceTagInvalid', { input: shorten(input, TAG_MAX) });
  return tag;
}

/** Tags, each checked, each once, in the order given; at most TAGS_MAX. */
export function checkTags(inputs: string[]): string[] {
  const tags = [...new Set(inputs.map(checkTag))];
  if (tags.length > TAGS_MAX) throw new UserError('error.resourceTooManyTags', { max: TAGS_MAX });
  return tags;
}

/**
 * What the full-text search reads: the title, the tags and the url's words (its host and path, split at punctuation), lower
 * case and without accents. Accents go here, in JavaScript, because PGlite has no `unaccent`: folded the same way when
 * written and when searched, `organización` and `organizaciones` meet on the stem `organizacion`/`organiz`.
 */
export function searchText(resource: { url: string; title: string; tags: string[] }): string {
  return fold([resource.title, ...resource.tags, ...urlWords(resource.url)].join(' '));
}

/** The words of a url worth finding it by: its host's labels but `www`, and its path's, query's and fragment's words. */
export function urlWords(input: string): string[] {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return [];
  }
  const host = url.hostname.split('.').filter((label) => label && label !== 'www');
  const rest = decodeSafely(`${url.pathname} ${url.search} ${url.hash}`).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1);
  return [...host, ...rest];
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The document as the index `resources_search` holds it: Spanish and English stems of the same text, side by side. Spelled
 * exactly as the index is, so Postgres can use it.
 */
const document = sql`(to_tsvector('spanish'::regconfig, ${resources.searchText}) || to_tsvector('english'::regconfig, ${resources.searchText}))`;

/** The words as a query in both languages at once: each language's reading of them, either may match. */
function query(words: string): SQL {
  return sql`(websearch_to_tsquery('spanish'::regconfig, ${words}) || websearch_to_tsquery('english'::regconfig, ${words}))`;
}

/** Whether a resource matches folded words (see searchText), in a form the index `resources_search` answers. */
export function resourceMatch(words: string): SQL {
  return sql`${document} @@ ${query(words)}`;
}

export async function shareResource(tx: Db, actor: Actor, input: { url: string; title: string; tags: string[] }): Promise<ResourceView> {
  const url = checkUrl(input.url);
  const title = checkResourceTitle(input.title);
  const tags = checkTags(input.tags);
  const number = await nextNumber(tx, actor.alliance.id, 'resource');
  const [row] = await tx
    .insert(resources)
    .values({ allianceId: actor.alliance.id, number, url, title, tags, searchText: searchText({ url, title, tags }), sharedBy: actor.member.id })
    .returning();
  await recordChange(tx, actor, { subject: `resource:${number}`, action: 'history.resource.shared', details: { number, title, url } });
  return { number, url, title, tags, sharedBy: memberName(actor.member), createdAt: row!.createdAt };
}

/**
 * Resources matching the words (full-text, both languages) and carrying every tag, best first; newest first when no words
 * are given. At most RESOURCE_LIST_MAX, with how many matched in all.
 */
export async function searchResources(tx: Db, actor: Actor, search: { words: string; tags: string[] }): Promise<{ items: ResourceView[]; total: number }> {
  const words = fold(search.words).trim().slice(0, QUERY_MAX);
  // Checked already, by the parser or the command (checkTags).
  const { tags } = search;
  const conditions: SQL[] = [eq(resources.allianceId, actor.alliance.id)];
  if (words) conditions.push(resourceMatch(words));
  if (tags.length) conditions.push(sql`${resources.tags} @> ${sql`array[${sql.join(tags.map((tag) => sql`${tag}`), sql`, `)}]::text[]`}`);
  const rows = await selectResources(tx, { total: sql<number>`count(*) over ()`.mapWith(Number) })
    .where(and(...conditions))
    .orderBy(...(words ? [sql`ts_rank(${document}, ${query(words)}) desc`] : []), desc(resources.createdAt), desc(resources.number))
    .limit(RESOURCE_LIST_MAX);
  return { items: rows.map(resourceView), total: rows[0]?.total ?? 0 };
}

/** Removes a resource: whoever shared it, or a coordinator. */
export async function removeResource(tx: Db, actor: Actor, number: number): Promise<ResourceView> {
  const [row] = await tx
    .select()
    .from(resources)
    .where(and(eq(resources.allianceId, actor.alliance.id), eq(resources.number, number)))
    .for('update');
  if (!row) throw new UserError('error.resourceNotFound', { number });
  authorize(actor, 'resource.remove', { createdBy: row.sharedBy });
  await tx.delete(resources).where(eq(resources.id, row.id));
  await recordChange(tx, actor, { subject: `resource:${number}`, action: 'history.resource.removed', details: { number, title: row.title, url: row.url } });
  return view(row, null);
}

/** Every resource of the alliance, oldest first, for the export. */
export async function allResources(tx: Db, allianceId: number): Promise<ResourceView[]> {
  const rows = await selectResources(tx).where(eq(resources.allianceId, allianceId)).orderBy(resources.number);
  return rows.map(resourceView);
}

/** Resources with who shared them (none once that member is gone), and any `extra` columns; see resourceView. */
export function selectResources<Extra extends Record<string, SQL.Aliased | SQL>>(tx: Db, extra = {} as Extra) {
  return tx
    .select({ resource: resources, displayName: members.displayName, platformUserId: members.platformUserId, ...extra })
    .from(resources)
    .leftJoin(members, eq(members.id, resources.sharedBy))
    .$dynamic();
}

/** A resource as shown, from a row of selectResources. */
export function resourceView({ resource, ...sharer }: { resource: ResourceRow; displayName: string | null; platformUserId: string | null }): ResourceView {
  return view(resource, sharer);
}

function view(row: ResourceRow, sharer: { displayName: string | null; platformUserId: string | null } | null): ResourceView {
  return {
    number: row.number,
    url: row.url,
    title: row.title,
    tags: row.tags,
    sharedBy: sharer?.platformUserId ? memberName({ displayName: sharer.displayName, platformUserId: sharer.platformUserId }) : null,
    createdAt: row.createdAt,
  };
}

function shorten(text: string, max = 80): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
