// Posting across an alliance's linked workspaces: their home channels, the workspaces that have none, and the jobs and answers of `poll … --everywhere` and `remind everywhere`.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { postedMessages, workspaces } from '../db/schema.js';
import type { CommandContext } from './commands/command.js';
import { channelLabel, parseConversationId } from './conversation.js';
import { UserError } from './errors.js';
import { t, type Locale } from './i18n/index.js';
import type { Actor, WorkspaceRow } from './identity.js';
import { recordChange } from './history.js';
import type { PollRow } from './polls.js';
import type { ReminderRow } from './reminders.js';
import type { Reply } from './reply.js';
import { jobFailed, scheduleJob } from './scheduler/jobs.js';

/**
 * What `remind everywhere` stores as its target conversation (target kind `channel`): not a conversation id (those have three
 * parts), so nothing else can match it. The home channels it stands for are read when each occurrence is sent, so a workspace
 * linked, unlinked or given another home channel later is followed without touching the reminder.
 */
export const EVERYWHERE = 'everywhere';

/** The workspaces of an alliance that are linked now (not unlinked), oldest first. */
export async function linkedWorkspaces(db: Db, allianceId: number): Promise<WorkspaceRow[]> {
  return db
    .select()
    .from(workspaces)
    .where(and(eq(workspaces.allianceId, allianceId), isNull(workspaces.unlinkedAt)))
    .orderBy(asc(workspaces.id));
}

/** The home channel of every linked workspace that has one, oldest workspace first. */
export async function homeChannels(db: Db, allianceId: number): Promise<string[]> {
  return (await linkedWorkspaces(db, allianceId)).flatMap((workspace) => (workspace.homeConversation ? [workspace.homeConversation] : []));
}

/**
 * `remind everywhere`: coordinators only (it posts in other organizations' workspaces), and refused while no linked
 * workspace has a home channel, since it would reach nobody.
 */
export async function requireHomeChannels(tx: Db, actor: Actor): Promise<void> {
  if (actor.member.role !== 'coordinator') throw new UserError('error.notAllowed', { who: 'error.who.coordinator' });
  if ((await homeChannels(tx, actor.alliance.id)).length === 0) throw new UserError('error.everywhereNoHome');
}

/** A workspace as people tell it apart across platforms: "Red de Huertas (Discord)". */
export function workspaceLabel(workspace: Pick<WorkspaceRow, 'name' | 'externalId' | 'platform'>, locale: Locale): string {
  const platform = workspace.platform === 'slack' ? 'Slack' : workspace.platform === 'discord' ? 'Discord' : t(locale, 'everywhere.console');
  return `${workspace.name ?? workspace.externalId} (${platform})`;
}

/** A channel with its workspace, for answers that name channels on several platforms: "#C0GENERAL in Minga (Slack)". */
export function placeLabel(conversation: string, linked: WorkspaceRow[], locale: Locale): string {
  const parts = parseConversationId(conversation);
  const workspace = parts && linked.find((candidate) => candidate.platform === parts.platform && candidate.externalId === parts.workspaceId);
  return workspace ? t(locale, 'everywhere.place', { channel: channelLabel(conversation), workspace: workspaceLabel(workspace, locale) }) : channelLabel(conversation);
}

/** Where a post meant for the whole alliance goes, decided when it is made. */
export interface Spread {
  /** Where it goes first: the channel the command was typed in, or, without one, a home channel. */
  origin: string;
  /** Every other home channel, each its own post. */
  copies: string[];
  /** Linked workspaces that get nothing: no home channel, and the command was not typed there. */
  skipped: WorkspaceRow[];
  linked: WorkspaceRow[];
}

/**
 * Where `poll … --everywhere` posts: in the channel it was typed in, and in the home channel of every linked workspace (that
 * channel too, if it is one, only once). A workspace without a home channel is skipped, unless the command was typed there.
 * Only coordinators: it posts in other organizations' workspaces.
 */
export async function spreadFrom(tx: Db, actor: Actor, here: string | null): Promise<Spread> {
  if (actor.member.role !== 'coordinator') throw new UserError('error.notAllowed', { who: 'error.who.coordinator' });
  const linked = await linkedWorkspaces(tx, actor.alliance.id);
  const homes = linked.flatMap((workspace) => (workspace.homeConversation ? [workspace.homeConversation] : []));
  const ownHome = actor.workspace.homeConversation;
  const origin = here ?? ownHome ?? homes[0];
  if (!origin) throw new UserError('error.everywhereNoHome');
  const copies = [...new Set(homes)].filter((home) => home !== origin);
  const originWorkspace = parseConversationId(origin);
  const skipped = linked.filter(
    (workspace) => !workspace.homeConversation && !(originWorkspace && originWorkspace.platform === workspace.platform && originWorkspace.workspaceId === workspace.externalId),
  );
  return { origin, copies, skipped, linked };
}

/** The key of the job that posts a copy of a poll in another home channel (the origin's is `poll.post:<id>`, as for any poll). */
export const pollCopyKey = (pollId: number, conversation: string): string => `poll.post:${pollId}:${conversation}`;

/**
 * The `deliveries` key of a poll's outcome in one conversation: the origin's is `poll.announce:<id>`, as for any poll; a copy's
 * adds its conversation.
 */
export function outcomeKey(poll: Pick<PollRow, 'id' | 'conversation'>, conversation: string): string {
  return conversation === poll.conversation ? `poll.announce:${poll.id}` : `poll.announce:${poll.id}:${conversation}`;
}

/** The conversations a poll's outcome is posted in: where it was started, and every other channel a copy of it reached. */
export async function outcomePlaces(db: Db, poll: Pick<PollRow, 'id' | 'allianceId' | 'conversation'>): Promise<string[]> {
  const posted = await db
    .select({ conversation: postedMessages.conversation })
    .from(postedMessages)
    .where(and(eq(postedMessages.allianceId, poll.allianceId), eq(postedMessages.subject, `poll:${poll.id}`)))
    .orderBy(asc(postedMessages.id));
  return [...new Set([...(poll.conversation ? [poll.conversation] : []), ...posted.map((row) => row.conversation)])];
}

/**
 * The answer to `poll … --everywhere` once its posts were tried (right after the commit): where it is posted, where it is
 * still on its way, where the platform refused or failed so far, and which workspaces have no home channel.
 */
export async function spreadOutcome(db: Db, poll: PollRow, spread: Spread, locale: Locale): Promise<string[]> {
  const places = [spread.origin, ...spread.copies];
  const posted = new Set(
    (
      await db
        .select({ conversation: postedMessages.conversation })
        .from(postedMessages)
        .where(and(eq(postedMessages.subject, `poll:${poll.id}`), inArray(postedMessages.conversation, places)))
    ).map((row) => row.conversation),
  );
  const failed: string[] = [];
  const pending: string[] = [];
  for (const place of places) {
    if (posted.has(place)) continue;
    const key = place === spread.origin ? `poll.post:${poll.id}` : pollCopyKey(poll.id, place);
    ((await jobFailed(db, key)) ? failed : pending).push(place);
  }
  const names = (list: string[]) => list.map((place) => placeLabel(place, spread.linked, locale)).join(', ');
  const lines: string[] = [];
  const done = places.filter((place) => posted.has(place));
  if (done.length > 0) lines.push(t(locale, 'everywhere.poll.posted', { number: poll.number, places: names(done) }));
  else lines.push(t(locale, 'everywhere.poll.created', { number: poll.number }));
  if (pending.length > 0) lines.push(t(locale, 'everywhere.poll.pending', { places: names(pending) }));
  if (failed.length > 0) lines.push(t(locale, 'everywhere.poll.failed', { places: names(failed), number: poll.number }));
  if (spread.skipped.length > 0) lines.push(skippedLine(spread.skipped, locale));
  return lines;
}

/** "Not in …: no home channel there yet", naming the workspaces, and how a coordinator there sets one. */
export function skippedLine(skipped: WorkspaceRow[], locale: Locale): string {
  return t(locale, 'everywhere.skipped', { workspaces: skipped.map((workspace) => workspaceLabel(workspace, locale)).join(', ') });
}

/**
 * Queues a copy of a new poll for every other home channel, in the command's transaction, and has all of them (and the
 * origin's post) run right after the commit; the answer then says where it went. Recorded in the alliance's history.
 */
export async function spreadPoll(context: CommandContext, poll: PollRow, spread: Spread): Promise<Reply> {
  const { tx, actor, now } = context;
  const { locale } = actor;
  for (const conversation of spread.copies) {
    await scheduleJob(tx, { allianceId: poll.allianceId, kind: 'poll.post', key: pollCopyKey(poll.id, conversation), runAt: now, payload: { pollId: poll.id, conversation } });
  }
  await recordChange(tx, actor, {
    subject: `poll:${poll.number}`,
    action: 'history.poll.everywhere',
    details: { number: poll.number, question: poll.question, channels: 1 + spread.copies.length },
  });
  context.deliverNow = [`poll.post:${poll.id}`, ...spread.copies.map((conversation) => pollCopyKey(poll.id, conversation))];
  context.afterDelivery = async (db) => linesReply(locale, await spreadOutcome(db, poll, spread, locale));
  return linesReply(locale, [t(locale, 'everywhere.poll.created', { number: poll.number }), ...(spread.skipped.length ? [skippedLine(spread.skipped, locale)] : [])]);
}

const linesReply = (locale: Locale, texts: string[]): Reply => ({ visibility: 'ephemeral', locale, lines: texts.map((text) => ({ text })) });

/**
 * The answer to `remind everywhere`, with the home channels it will reach now and the linked workspaces it will not (no home
 * channel yet); recorded in the alliance's history.
 */
export async function remindedEverywhere(tx: Db, actor: Actor, reminder: Pick<ReminderRow, 'number' | 'text'>, reply: Reply): Promise<Reply> {
  const { locale } = actor;
  const linked = await linkedWorkspaces(tx, actor.alliance.id);
  const homes = linked.flatMap((workspace) => (workspace.homeConversation ? [workspace.homeConversation] : []));
  const skipped = linked.filter((workspace) => !workspace.homeConversation);
  await recordChange(tx, actor, {
    subject: `reminder:${reminder.number}`,
    action: 'history.reminder.everywhere',
    details: { number: reminder.number, text: reminder.text, channels: homes.length },
  });
  const lines = [
    ...reply.lines,
    { text: t(locale, 'everywhere.reminder.places', { places: homes.map((home) => placeLabel(home, linked, locale)).join(', ') }) },
    ...(skipped.length > 0 ? [{ text: skippedLine(skipped, locale) }] : []),
  ];
  return { ...reply, lines };
}
