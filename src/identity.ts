// Who is asking: maps a platform's workspace and user to our alliance and member, creating them on first contact.
import { and, eq, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { identityCacheOf } from '../db/identity-cache.js';
import { prepared } from '../db/prepared.js';
import { alliances, members, workspaces } from '../db/schema.js';
import type { MemberMention } from './commands/command.js';
import { UserError } from './errors.js';
import { memberLocale, type Locale } from './i18n/index.js';

export type Platform = 'console' | 'slack' | 'discord';

/** What an adapter knows about the person behind a command. */
export interface Requester {
  platform: Platform;
  /** Slack team id, Discord guild id, or the console workspace's name. */
  workspaceId: string;
  workspaceName?: string;
  userId: string;
  userName?: string;
  /** The language the platform reports for this person (Slack users.info, Discord interaction locale). */
  platformLocale?: string;
  /** The IANA zone the platform reports (Slack gives one, Discord none). */
  timeZone?: string;
  /** Workspace admins and owners, Discord members with Manage Server: coordinators by default. */
  isAdmin?: boolean;
  /** Where the command was typed, as the platform names it. */
  channelId?: string;
  /**
   * When the person acted, in microseconds since the epoch: the platform's own time where it gives one (Slack's action_ts,
   * a Discord interaction's id), else when the adapter received the input. A ballot keeps the latest change by this time,
   * whatever order concurrent requests are processed in. Unset, the core takes the moment it received the request.
   */
  actedAt?: number;
  /**
   * The people this request names whom the platform vouched for, with the names it gives them: on Slack those users.info
   * knows, on Discord those the interaction resolved. On a platform nobody else can be named (see memberForMention).
   */
  vouched?: MemberMention[];
  /**
   * The channels this request names whom the platform vouched for: on Slack, those it wrote as `<#C…|name>` in the
   * command's text (typed text could carry any channel id, and so reach a channel its author cannot see). A reminder for
   * `#channel` goes only to one of these; the console needs none, a name there is the channel.
   */
  channels?: VouchedChannel[];
}

export interface VouchedChannel {
  id: string;
  name?: string;
}

export type AllianceRow = typeof alliances.$inferSelect;
export type WorkspaceRow = typeof workspaces.$inferSelect;
export type MemberRow = typeof members.$inferSelect;

export interface Actor {
  alliance: AllianceRow;
  workspace: WorkspaceRow;
  member: MemberRow;
  locale: Locale;
  timeZone: string;
  requester: Requester;
}

export interface Defaults {
  locale: Locale;
  timeZone: string;
}

export function isCoordinator(actor: Actor): boolean {
  return actor.member.role === 'coordinator';
}

/** What Minga knew of a requester before the command's transaction (see recallActor). */
export interface Recalled {
  /** The workspace, its alliance and the requester as a member of it, as read; undefined for a workspace Minga has not met. */
  found: Found | undefined;
  /** The whole actor, when nothing about them needs writing: a command that only reads needs no transaction. */
  actor: Actor | undefined;
}

/**
 * Reads who is asking in one prepared statement, before (and outside) the command's transaction: every command starts
 * here, and a statement built and planned anew each time cost more than all the rest of a short command (see
 * db/connection.ts). A member Minga knows is remembered on PostgreSQL until a change to their rows is heard
 * (db/identity-cache.ts): on the hot paths that read was a round trip of two. Nothing is written here; resolveActor does
 * that inside the transaction when needed.
 */
export async function recallActor(db: Db, requester: Requester, defaults: Defaults): Promise<Recalled> {
  const found = await findKnown(db, requester);
  if (!found?.member || isNews(found.member, memberFacts(requester, false))) return { found, actor: undefined };
  return { found, actor: actorOf(found.alliance, found.workspace, found.member, requester, defaults) };
}

/**
 * Finds or creates the alliance, workspace and member behind a request. Call inside the command's transaction, with what
 * recallActor read when the caller did; a member Minga knows, with nothing new from the platform, costs no statement more.
 */
export async function resolveActor(tx: Db, requester: Requester, defaults: Defaults, recalled?: Recalled): Promise<Actor> {
  if (recalled?.actor) return recalled.actor;
  const found = recalled ? recalled.found : await findWorkspace(tx, requester);
  const { alliance, workspace, member: known, created } = found ? { ...found, created: false } : await createWorkspace(tx, requester, defaults);
  const member = await upsertMember(tx, workspace, memberFacts(requester, created), known);
  return actorOf(alliance, workspace, member, requester, defaults);
}

function memberFacts(requester: Requester, created: boolean): MemberFacts {
  return {
    userId: requester.userId,
    name: requester.userName,
    platformLocale: requester.platformLocale,
    timeZone: requester.timeZone,
    coordinator: created || requester.isAdmin === true,
  };
}

function actorOf(alliance: AllianceRow, workspace: WorkspaceRow, member: MemberRow, requester: Requester, defaults: Defaults): Actor {
  return {
    alliance,
    workspace,
    member,
    locale: memberLocale(member, alliance, defaults.locale),
    timeZone: memberTimeZone(member, alliance),
    requester,
  };
}

/** A new workspace, and its alliance, under a lock so two first commands at once make one. */
async function createWorkspace(tx: Db, requester: Requester, defaults: Defaults) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`workspace:${requester.platform}:${requester.workspaceId}`}))`);
  const raced = await findWorkspace(tx, requester);
  if (raced) return { ...raced, created: false };
  const [alliance] = await tx
    .insert(alliances)
    .values({ name: requester.workspaceName ?? requester.workspaceId, timeZone: defaults.timeZone })
    .returning();
  const [workspace] = await tx
    .insert(workspaces)
    .values({
      allianceId: alliance!.id,
      platform: requester.platform,
      externalId: requester.workspaceId,
      name: requester.workspaceName ?? null,
    })
    .returning();
  return { alliance: alliance!, workspace: workspace!, member: null, created: true };
}

type Found = NonNullable<Awaited<ReturnType<ReturnType<typeof prepareFindWorkspace>['execute']>>[number]>;

type Known = Found & { member: MemberRow };

/** findWorkspace, through the database's identity cache when it has one; only a known member is remembered. */
async function findKnown(db: Db, requester: Requester): Promise<Found | undefined> {
  const cache = identityCacheOf<Known>(db);
  if (!cache) return findWorkspace(db, requester);
  const key = `${requester.platform}\n${requester.workspaceId}\n${requester.userId}`;
  const remembered = cache.recall(key);
  if (remembered) return remembered;
  const generation = cache.begin();
  const found = await findWorkspace(db, requester);
  if (found?.member) cache.remember(key, found as Known, generation);
  return found;
}

/** The workspace with its alliance and, when Minga knows them, the requester as a member of it: one statement. */
async function findWorkspace(tx: Db, requester: Requester): Promise<Found | undefined> {
  const query = prepared(tx, 'find_workspace', prepareFindWorkspace);
  const [row] = await query.execute({ platform: requester.platform, workspace: requester.workspaceId, user: requester.userId });
  return row;
}

function prepareFindWorkspace(db: Db) {
  const value = sql.placeholder;
  return db
    .select({ workspace: workspaces, alliance: alliances, member: members })
    .from(workspaces)
    .innerJoin(alliances, eq(alliances.id, workspaces.allianceId))
    .leftJoin(members, and(eq(members.workspaceId, workspaces.id), eq(members.platformUserId, value('user'))))
    .where(and(eq(workspaces.platform, value('platform')), eq(workspaces.externalId, value('workspace')), isNull(workspaces.unlinkedAt)))
    .prepare('find_workspace');
}

interface MemberFacts {
  userId: string;
  name?: string;
  platformLocale?: string;
  timeZone?: string;
  coordinator?: boolean;
}

/** Inserts or refreshes a member; what the platform reports refreshes, a coordinator role is never taken away here. */
async function upsertMember(tx: Db, workspace: WorkspaceRow, facts: MemberFacts, found?: MemberRow | null): Promise<MemberRow> {
  // `found`: the member as the caller already read it (null: not there); read here when the caller did not.
  const known = found !== undefined ? found : (await tx.select().from(members).where(and(eq(members.workspaceId, workspace.id), eq(members.platformUserId, facts.userId))))[0];
  // Nothing new, nothing written, not even a lock: a write stamps the member's row with the id of this transaction, the
  // same id an anonymous ballot cast in it carries, and so would tie the two together.
  if (known && !isNews(known, facts)) return known;
  const [member] = await tx
    .insert(members)
    .values({
      allianceId: workspace.allianceId,
      workspaceId: workspace.id,
      platformUserId: facts.userId,
      displayName: facts.name ?? null,
      platformLocale: facts.platformLocale ?? null,
      timeZone: facts.timeZone ?? null,
      role: facts.coordinator ? 'coordinator' : 'member',
    })
    .onConflictDoUpdate({
      target: [members.workspaceId, members.platformUserId],
      set: {
        displayName: sql`coalesce(excluded.display_name, ${members.displayName})`,
        platformLocale: sql`coalesce(excluded.platform_locale, ${members.platformLocale})`,
        timeZone: sql`coalesce(excluded.time_zone, ${members.timeZone})`,
        role: sql`case when excluded.role = 'coordinator' then 'coordinator' else ${members.role} end`,
      },
    })
    .returning();
  return member!;
}

/** Whether the facts would change the stored member, as the upsert applies them. */
function isNews(known: MemberRow, facts: MemberFacts): boolean {
  const differs = (fact: string | undefined, stored: string | null) => fact !== undefined && fact !== stored;
  return (
    differs(facts.name, known.displayName) ||
    differs(facts.platformLocale, known.platformLocale) ||
    differs(facts.timeZone, known.timeZone) ||
    (facts.coordinator === true && known.role !== 'coordinator')
  );
}

/**
 * The member someone named in a command, in the same workspace; created if Minga has not met them yet. On a platform only
 * a person the platform vouched for counts, under the name the platform gives: typed text can carry any id and any name
 * (`<@U999|boss>`), and must not conjure a member or rename one. The console has no accounts to ask: a name there is the person.
 */
export async function memberForMention(tx: Db, actor: Actor, mention: MemberMention): Promise<MemberRow> {
  // A plain `@Ana` as typed (no platform id behind it) may name a member of another linked workspace, by their name there.
  const typedName = mention.name !== undefined && mention.name === mention.userId ? mention.name : undefined;
  if (actor.requester.platform === 'console') {
    const known = typedName && !(await isWorkspaceMember(tx, actor.workspace, mention.userId)) ? await memberByName(tx, actor, typedName) : undefined;
    return known ?? upsertMember(tx, actor.workspace, { userId: mention.userId, name: mention.name });
  }
  const vouched = actor.requester.vouched?.find((person) => person.userId === mention.userId);
  if (vouched) return upsertMember(tx, actor.workspace, { userId: vouched.userId, name: vouched.name });
  const known = typedName ? await memberByName(tx, actor, typedName) : undefined;
  if (!known) throw new UserError('error.memberUnknown', { input: `@${mention.name ?? mention.userId}` });
  return known;
}

async function isWorkspaceMember(tx: Db, workspace: WorkspaceRow, userId: string): Promise<boolean> {
  const [row] = await tx.select({ id: members.id }).from(members).where(and(eq(members.workspaceId, workspace.id), eq(members.platformUserId, userId)));
  return row !== undefined;
}

/** A name as compared: lower case, no accents, without spaces, dots, dashes or underscores (`@ana.maria`, `@AnaMaria`: "Ana María"). */
const foldedName = (name: SQL | string) =>
  sql`translate(lower(regexp_replace(${name}, '[[:space:]._-]+', '', 'g')), 'áàâäãéèêëíìîïóòôöõúùûüñç', 'aaaaaeeeeiiiiooooouuuunc')`;

/**
 * Members of the alliance on a workspace still linked to it, for a query on members joined to their workspace: those of a
 * workspace that left stay only as names in the alliance's history and work.
 */
export function linkedMembersOf(allianceId: number): SQL | undefined {
  return and(eq(members.allianceId, allianceId), isNull(workspaces.unlinkedAt));
}

/** A member's name as others see it, folded for matching what was typed (see foldedName). */
const shownNameFolded = foldedName(sql`coalesce(${members.displayName}, ${members.platformUserId})`);

/**
 * The member of any workspace still linked to the actor's alliance whose display name is `name` (see foldedName); none
 * when nobody is called so. Minga only finds members it already knows: it never makes one from a typed name on a
 * platform. Two or more of that name are the user's to tell apart.
 */
async function memberByName(tx: Db, actor: Actor, name: string): Promise<MemberRow | undefined> {
  // `Ana (Slack)`, as suggestions and the list of namesakes write it (see suggestMembers), names Ana on Slack.
  const suffix = / \(([a-z]+)\)$/i.exec(name);
  const platform = suffix && (Object.keys(PLATFORM_NAMES) as Platform[]).find((key) => PLATFORM_NAMES[key].toLowerCase() === suffix[1]!.toLowerCase());
  const bare = platform ? name.slice(0, suffix.index) : name;
  const found = await tx
    .select({ member: members, platform: workspaces.platform })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(
      and(
        linkedMembersOf(actor.alliance.id),
        platform ? eq(workspaces.platform, platform) : undefined,
        sql`${shownNameFolded} = ${foldedName(bare)}`,
      ),
    )
    .orderBy(members.id)
    .limit(10);
  if (found.length > 1) {
    const candidates = found.map((row) => memberNameOn(row.member, row.platform as Platform)).join(', ');
    throw new UserError('error.memberAmbiguous', { input: `@${name}`, candidates });
  }
  return found[0]?.member;
}

/** A member's zone: their own choice (`timezone …`), else what their platform reports (Slack does; Discord not), else the alliance's. */
export function memberTimeZone(member: Pick<MemberRow, 'chosenTimeZone' | 'timeZone'>, alliance: Pick<AllianceRow, 'timeZone'>): string {
  return member.chosenTimeZone ?? member.timeZone ?? alliance.timeZone;
}

/** How to show a member to others. */
export function memberName(member: Pick<MemberRow, 'displayName' | 'platformUserId'>): string {
  return `@${member.displayName ?? member.platformUserId}`;
}

/** Platforms by their own names, the same in every language. */
export const PLATFORM_NAMES: Record<Platform, string> = { console: 'console', slack: 'Slack', discord: 'Discord' };

/**
 * How to show a member to others with the platform they are on, when that tells people apart: `@Ana (Discord)`. With no
 * platform (the alliance is on one platform only; see `shownPlatform`), the plain `@Ana`.
 */
export function memberNameOn(member: Pick<MemberRow, 'displayName' | 'platformUserId'>, platform: string | null | undefined): string {
  const named = platform && Object.hasOwn(PLATFORM_NAMES, platform) ? PLATFORM_NAMES[platform as Platform] : undefined;
  return named ? `${memberName(member)} (${named})` : memberName(member);
}

/**
 * In a query: the platform of the member whose workspace is `workspaceId`, when their alliance's linked workspaces are on
 * more than one platform; else null. For `memberNameOn`, beside the name the query reads. `workspaceId` is a member's
 * `workspace_id` column (drizzle may write it unqualified; no table in the subquery has a column of that name) or a value.
 */
export function shownPlatform(workspaceId: AnyColumn | SQL): SQL<string | null> {
  return sql<string | null>`(select w.platform from workspaces w where w.id = ${workspaceId} and exists (select 1 from workspaces o where o.alliance_id = w.alliance_id and o.unlinked_at is null and o.platform <> w.platform))`;
}

/** `memberNameOn` for a member already read: one small query for their platform, when it matters. */
export async function displayMember(tx: Db, member: Pick<MemberRow, 'displayName' | 'platformUserId' | 'workspaceId'>): Promise<string> {
  const [row] = await tx
    .select({ platform: shownPlatform(sql`${member.workspaceId}::int`) })
    .from(workspaces)
    .where(eq(workspaces.id, member.workspaceId));
  return memberNameOn(member, row?.platform);
}

export interface MemberSuggestion {
  /** What names them when sent back as a typed name: `Ana (Slack)` (see memberByName). */
  name: string;
  /** How to show them: `@Ana María (Discord)`, the platform always there. */
  label: string;
}

/**
 * Up to 25 members of the workspaces linked to the actor's alliance (Discord's autocomplete limit) whose name contains
 * what was typed, folded as `@name` is: for platforms whose own member picker lists only their own people.
 */
export async function suggestMembers(tx: Db, actor: Actor, typed: string): Promise<MemberSuggestion[]> {
  const rows = await tx
    .select({ displayName: members.displayName, platformUserId: members.platformUserId, platform: workspaces.platform })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(and(linkedMembersOf(actor.alliance.id), sql`strpos(${shownNameFolded}, ${foldedName(typed.trim().replace(/^@/, ''))}) > 0`))
    .orderBy(sql`lower(coalesce(${members.displayName}, ${members.platformUserId}))`, members.id)
    .limit(25);
  return rows.map((row) => ({ name: `${row.displayName ?? row.platformUserId} (${PLATFORM_NAMES[row.platform as Platform]})`, label: memberNameOn(row, row.platform) }));
}
