// One alliance across several workspaces: one-time link codes, joining another workspace's alliance, leaving it, and each workspace's home channel.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, count, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import {
  allianceLinkCodes,
  alliances,
  deliveries,
  digestSubscriptions,
  linkAttempts,
  members,
  organizationMembers,
  organizations,
  polls,
  postedMessages,
  reminders,
  resources,
  scheduledJobs,
  tasks,
  workspaces,
} from '../db/schema.js';
import { phrase, UserError } from './errors.js';
import { recordAlliance } from './record.js';
import { PLATFORM_NAMES, type Actor, type AllianceRow, type Platform, type WorkspaceRow } from './identity.js';
import { authorize } from './permissions.js';

/** How long a code may be used after `alliance link`. */
export const LINK_CODE_MINUTES = 10;
/** Failed `alliance join` attempts a workspace may make in LINK_ATTEMPT_WINDOW_MINUTES; the next is refused, right code or not. */
export const LINK_ATTEMPTS_MAX = 5;
export const LINK_ATTEMPT_WINDOW_MINUTES = 10;

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand is hard to get wrong. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 random bytes: 160 bits, 32 characters, shown in eight groups of four. */
const CODE_BYTES = 20;
const CODE_LENGTH = (CODE_BYTES * 8) / 5;

/** A new code: random, from the system's cryptographic source, as people see it (`7KQ2-M9XD-…`). */
export function newLinkCode(): string {
  const bytes = randomBytes(CODE_BYTES);
  let bits = 0;
  let value = 0;
  let code = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      code += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return code.match(/.{4}/g)!.join('-');
}

/**
 * A code as typed, in the one spelling that is hashed: upper case, no spaces or dashes, and the letters people confuse
 * with digits read as those digits (O → 0, I and L → 1). Undefined when it cannot be a code at all.
 */
export function normalizeLinkCode(typed: string): string | undefined {
  const code = typed
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return code.length === CODE_LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : undefined;
}

/** What is stored of a code: its SHA-256, so the table's contents open no alliance (160 random bits need no slow hash). */
export function hashLinkCode(normalized: string): string {
  return createHash('sha256').update(normalized).digest('hex');
}

/** `alliance link`: a coordinator's one-time code, valid LINK_CODE_MINUTES and once; only its hash is kept. */
export async function createLinkCode(tx: Db, actor: Actor, now: Date): Promise<{ code: string; expiresAt: Date }> {
  authorize(actor, 'alliance.link');
  const code = newLinkCode();
  const expiresAt = new Date(now.getTime() + LINK_CODE_MINUTES * 60_000);
  await tx.insert(allianceLinkCodes).values({
    allianceId: actor.alliance.id,
    codeHash: hashLinkCode(normalizeLinkCode(code)!),
    createdBy: actor.member.id,
    expiresAt,
    createdAt: now,
  });
  await recordAlliance(tx, actor, 'history.alliance.linkCode', { minutes: LINK_CODE_MINUTES });
  return { code, expiresAt };
}

/** Who may run `alliance join`: a platform admin of the joining workspace (Slack admin or owner, Discord Manage Server); on the console, its user. */
export function isPlatformAdmin(actor: Actor): boolean {
  return actor.requester.platform === 'console' || actor.requester.isAdmin === true;
}

export type JoinOutcome =
  | { kind: 'joined'; alliance: AllianceRow; organizations: string[] }
  /** A wrong, used or expired code: answered, and the failed attempt kept (the command's transaction commits it). */
  | { kind: 'wrongCode'; attemptsLeft: number };

/**
 * `alliance join <code>`: the actor's workspace joins the alliance the code is from. The workspace's own alliance must hold
 * nothing but people, organizations, digests and settings (tasks, polls, reminders or resources are refused: merging is not
 * done), and no other linked workspace. What it holds moves: its members (as members: the new alliance's coordinators,
 * and every platform admin, coordinate), its organizations unless a slug is taken there, its digests and their deliveries.
 * Its settings (language, zone) give way to the new alliance's, and the old, empty alliance is deleted with its history.
 */
export async function joinAlliance(tx: Db, actor: Actor, typed: string, now: Date): Promise<JoinOutcome> {
  if (!isPlatformAdmin(actor)) throw new UserError('error.notAllowed', { who: phrase('error.who.platformAdmin') });
  const { workspace } = actor;
  // One join at a time per workspace: the attempts counted here are the ones that exist.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`alliance-join:${workspace.id}`}))`);
  const windowStart = new Date(now.getTime() - LINK_ATTEMPT_WINDOW_MINUTES * 60_000);
  const failed = await tx
    .select({ at: linkAttempts.attemptedAt })
    .from(linkAttempts)
    .where(and(eq(linkAttempts.workspaceId, workspace.id), gt(linkAttempts.attemptedAt, windowStart)))
    .orderBy(asc(linkAttempts.attemptedAt));
  if (failed.length >= LINK_ATTEMPTS_MAX) {
    const freeAt = failed[failed.length - LINK_ATTEMPTS_MAX]!.at.getTime() + LINK_ATTEMPT_WINDOW_MINUTES * 60_000;
    throw new UserError('error.linkTooManyAttempts', { max: LINK_ATTEMPTS_MAX, minutes: Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000)) });
  }
  await requireOnlyPeople(tx, actor);
  const normalized = normalizeLinkCode(typed);
  // Used in the same statement that finds it: of two joins with one code, the second waits for the first's row lock and
  // then sees it used (or, if the first rolled back, unused and takes it).
  const [used] = normalized
    ? await tx
        .update(allianceLinkCodes)
        .set({ usedAt: now, usedByWorkspaceId: workspace.id })
        .where(and(eq(allianceLinkCodes.codeHash, hashLinkCode(normalized)), isNull(allianceLinkCodes.usedAt), gt(allianceLinkCodes.expiresAt, now)))
        .returning({ allianceId: allianceLinkCodes.allianceId })
    : [];
  if (!used) {
    await tx.insert(linkAttempts).values({ workspaceId: workspace.id, attemptedAt: now });
    return { kind: 'wrongCode', attemptsLeft: LINK_ATTEMPTS_MAX - failed.length - 1 };
  }
  if (used.allianceId === actor.alliance.id) throw new UserError('error.linkSameAlliance');
  // Both alliances locked, in id order (two joins crossing each other wait rather than deadlock): the old one is not
  // given anything new meanwhile, and the new one is not deleted by a join of its own.
  const locked = await tx
    .select()
    .from(alliances)
    .where(inArray(alliances.id, [used.allianceId, actor.alliance.id]))
    .orderBy(asc(alliances.id))
    .for('update');
  const target = locked.find((row) => row.id === used.allianceId);
  if (!target || !locked.some((row) => row.id === actor.alliance.id)) throw new UserError('error.linkCodeGone');
  // Again under the lock: a task or poll added meanwhile holds a key-share lock on the old alliance's row (its foreign
  // key), so it either committed before the lock was granted and is seen here, or waits and then fails on the deleted row.
  await requireOnlyPeople(tx, actor);
  const moved = await moveInto(tx, actor, target);
  const joined: Actor = {
    ...actor,
    alliance: target,
    workspace: { ...workspace, allianceId: target.id },
    member: { ...actor.member, allianceId: target.id, role: 'coordinator' },
  };
  await recordAlliance(tx, joined, 'history.alliance.joined', { workspace: workspaceName(workspace), platform: PLATFORM_NAMES[workspace.platform as Platform] });
  return { kind: 'joined', alliance: target, organizations: moved };
}

/** Refuses a join from a workspace whose alliance holds shared work, or other workspaces: merging is out of scope. */
async function requireOnlyPeople(tx: Db, actor: Actor): Promise<void> {
  const allianceId = actor.alliance.id;
  const counted = async (table: typeof tasks | typeof polls | typeof resources) =>
    Number((await tx.select({ n: count() }).from(table).where(eq(table.allianceId, allianceId)))[0]?.n ?? 0);
  const [others] = await tx
    .select({ n: count() })
    .from(workspaces)
    .where(and(eq(workspaces.allianceId, allianceId), isNull(workspaces.unlinkedAt), ne(workspaces.id, actor.workspace.id)));
  if (Number(others?.n ?? 0) > 0) throw new UserError('error.linkAlreadyLinked');
  const [activeReminders] = await tx
    .select({ n: count() })
    .from(reminders)
    .where(and(eq(reminders.allianceId, allianceId), eq(reminders.status, 'active')));
  const held = { tasks: await counted(tasks), polls: await counted(polls), reminders: Number(activeReminders?.n ?? 0), resources: await counted(resources) };
  if (held.tasks + held.polls + held.reminders + held.resources > 0) throw new UserError('error.linkHasData', held);
}

/** Moves the joining workspace and what its alliance holds into `target`, then deletes the emptied alliance. */
async function moveInto(tx: Db, actor: Actor, target: AllianceRow): Promise<string[]> {
  const from = actor.alliance.id;
  const into = target.id;
  const theirs = await tx.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.allianceId, into));
  const ours = await tx.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.allianceId, from));
  const taken = ours.map((row) => row.slug).filter((slug) => theirs.some((row) => row.slug === slug));
  if (taken.length > 0) throw new UserError('error.linkOrgTaken', { slugs: taken.map((slug) => `org:${slug}`).join(', ') });
  await tx.update(workspaces).set({ allianceId: into }).where(eq(workspaces.id, actor.workspace.id));
  // Coordinators of the old alliance do not become coordinators of the new one by joining: its coordinators decide, and
  // platform admins are coordinators again on their next command (see resolveActor). The admin who joined stays one.
  await tx
    .update(members)
    .set({ allianceId: into, role: sql`case when ${members.id} = ${actor.member.id} then 'coordinator' else 'member' end` })
    .where(eq(members.workspaceId, actor.workspace.id));
  await tx.update(organizations).set({ allianceId: into }).where(eq(organizations.allianceId, from));
  await tx.update(organizationMembers).set({ allianceId: into }).where(eq(organizationMembers.allianceId, from));
  await tx.update(digestSubscriptions).set({ allianceId: into, timeZone: target.timeZone }).where(eq(digestSubscriptions.allianceId, from));
  await tx.update(scheduledJobs).set({ allianceId: into }).where(and(eq(scheduledJobs.allianceId, from), isNull(scheduledJobs.doneAt)));
  await tx.update(deliveries).set({ allianceId: into }).where(eq(deliveries.allianceId, from));
  await tx.update(postedMessages).set({ allianceId: into }).where(eq(postedMessages.allianceId, from));
  // What is left (counters, old codes, failed jobs, the old alliance's few history lines) goes with it.
  await tx.delete(alliances).where(eq(alliances.id, from));
  return ours.map((row) => row.slug);
}

/**
 * `alliance unlink`: the actor's workspace leaves its alliance, taking nothing. The alliance keeps its tasks, polls and
 * history, and the leaving members' names in them; they are no longer in its organizations or coordinators, and nothing
 * more is sent into the workspace (its reminders and digests stop). The workspace's row stays, marked unlinked: the
 * platform's workspace starts afresh, as a new alliance, on its next command (see findWorkspace).
 */
export async function unlinkWorkspace(tx: Db, actor: Actor, now: Date): Promise<void> {
  authorize(actor, 'alliance.unlink');
  const { workspace } = actor;
  // Locked so two workspaces leaving at once cannot both be "not the last".
  await tx.select({ id: alliances.id }).from(alliances).where(eq(alliances.id, actor.alliance.id)).for('update');
  const [linked] = await tx
    .select({ n: count() })
    .from(workspaces)
    .where(and(eq(workspaces.allianceId, actor.alliance.id), isNull(workspaces.unlinkedAt)));
  if (Number(linked?.n ?? 0) <= 1) throw new UserError('error.unlinkLast');
  await recordAlliance(tx, actor, 'history.alliance.unlinked', { workspace: workspaceName(workspace), platform: PLATFORM_NAMES[workspace.platform as Platform] });
  // No home channel either: nothing meant for the whole alliance goes there any more.
  await tx.update(workspaces).set({ unlinkedAt: now, homeConversation: null }).where(eq(workspaces.id, workspace.id));
  const leaving = tx.select({ id: members.id }).from(members).where(eq(members.workspaceId, workspace.id));
  await tx.delete(organizationMembers).where(inArray(organizationMembers.memberId, leaving));
  await tx.update(members).set({ role: 'member' }).where(eq(members.workspaceId, workspace.id));
  const inWorkspace = (column: typeof reminders.targetConversation | typeof digestSubscriptions.conversation) =>
    sql`split_part(${column}, ':', 1) = ${workspace.platform} and split_part(${column}, ':', 2) = ${encodeURIComponent(workspace.externalId)}`;
  await tx
    .update(reminders)
    .set({ status: 'cancelled', nextAt: null })
    .where(and(eq(reminders.allianceId, actor.alliance.id), eq(reminders.status, 'active'), or(inArray(reminders.targetMemberId, leaving), inWorkspace(reminders.targetConversation))));
  await tx
    .update(digestSubscriptions)
    .set({ status: 'off', nextAt: null, updatedAt: now })
    .where(and(eq(digestSubscriptions.allianceId, actor.alliance.id), inWorkspace(digestSubscriptions.conversation)));
}

/** Sets the actor's workspace's home channel (an opaque conversation id, like a reminder's channel). */
export async function setHomeChannel(tx: Db, actor: Actor, conversation: string, shown: string): Promise<void> {
  authorize(actor, 'alliance.channel');
  await tx.update(workspaces).set({ homeConversation: conversation }).where(eq(workspaces.id, actor.workspace.id));
  await recordAlliance(tx, actor, 'history.alliance.homeChannel', { workspace: workspaceName(actor.workspace), channel: shown });
}

/** How a workspace is named to people: its name on the platform, else its id there. */
export function workspaceName(workspace: Pick<WorkspaceRow, 'name' | 'externalId'>): string {
  return workspace.name ?? workspace.externalId;
}
