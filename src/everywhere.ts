// Posting across an alliance's linked workspaces: their home channels, the workspaces that have none, where a post meant for everyone goes, and the keys its deliveries are recorded under.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { workspaces } from '../db/schema.js';
import { channelLabel, parseConversationId } from './conversation.js';
import { UserError } from './errors.js';
import { t, type Locale } from './i18n/index.js';
import { type Actor, type WorkspaceRow } from './identity.js';
import { workspaceLabel } from './render/alliance.js';
import { authorize } from './permissions.js';
import { pollJobKey, type PollRow } from './polls.js';

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

/** Which of these workspaces a conversation is in; none when it is in another (one that left the alliance, say). */
export function workspaceOf<W extends Pick<WorkspaceRow, 'platform' | 'externalId'>>(conversation: string, among: W[]): W | undefined {
  const parts = parseConversationId(conversation);
  return parts && among.find((workspace) => workspace.platform === parts.platform && workspace.externalId === parts.workspaceId);
}

/** Whether a conversation is in one of these workspaces (a workspace that left the alliance is no longer among the linked). */
export function inWorkspaces(conversation: string, among: Pick<WorkspaceRow, 'platform' | 'externalId'>[]): boolean {
  return workspaceOf(conversation, among) !== undefined;
}

/** The home channels of these workspaces, for those that have one, in their order. */
export function homesOf(linked: Pick<WorkspaceRow, 'homeConversation'>[]): string[] {
  return linked.flatMap((workspace) => (workspace.homeConversation ? [workspace.homeConversation] : []));
}

/** The home channel of every linked workspace that has one, oldest workspace first. */
export async function homeChannels(db: Db, allianceId: number): Promise<string[]> {
  return homesOf(await linkedWorkspaces(db, allianceId));
}

/**
 * `remind everywhere`: coordinators only (it posts in other organizations' workspaces), and refused while no linked
 * workspace has a home channel, since it would reach nobody.
 */
export async function requireHomeChannels(tx: Db, actor: Actor): Promise<void> {
  authorize(actor, 'post.everywhere');
  if ((await homeChannels(tx, actor.alliance.id)).length === 0) throw new UserError('error.everywhereNoHome');
}

/** A channel with its workspace, for answers that name channels on several platforms: "#C0GENERAL in Minga (Slack)". */
export function placeLabel(conversation: string, linked: WorkspaceRow[], locale: Locale): string {
  const workspace = workspaceOf(conversation, linked);
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
  authorize(actor, 'post.everywhere');
  const linked = await linkedWorkspaces(tx, actor.alliance.id);
  const homes = homesOf(linked);
  const ownHome = actor.workspace.homeConversation;
  const origin = here ?? ownHome ?? homes[0];
  if (!origin) throw new UserError('error.everywhereNoHome');
  // Each workspace has one home channel at most, and a conversation id names its workspace: no home is there twice.
  const copies = homes.filter((home) => home !== origin);
  const originWorkspace = workspaceOf(origin, linked);
  const skipped = linked.filter((workspace) => !workspace.homeConversation && workspace !== originWorkspace);
  return { origin, copies, skipped, linked };
}

/** The key of the job that posts a copy of a poll in another home channel (the origin's is `poll.post:<id>`, as for any poll). */
export const pollCopyKey = (pollId: number, conversation: string): string => `${pollJobKey('poll.post', pollId)}:${conversation}`;

/**
 * The `deliveries` key of a poll's outcome in one conversation: the origin's is `poll.announce:<id>`, as for any poll; a copy's
 * adds its conversation.
 */
export function outcomeKey(poll: Pick<PollRow, 'id' | 'conversation'>, conversation: string): string {
  const key = pollJobKey('poll.announce', poll.id);
  return conversation === poll.conversation ? key : `${key}:${conversation}`;
}

/** The conversations a poll's outcome is posted in: where it was started, and every other channel a copy of it reached (`posted`). */
export function outcomePlaces(poll: Pick<PollRow, 'conversation'>, posted: { conversation: string }[]): string[] {
  return [...new Set([...(poll.conversation ? [poll.conversation] : []), ...posted.map((row) => row.conversation)])];
}

/** "Not in …: no home channel there yet", naming the workspaces, and how a coordinator there sets one. */
export function skippedLine(skipped: WorkspaceRow[], locale: Locale): string {
  return t(locale, 'everywhere.skipped', { workspaces: skipped.map((workspace) => workspaceLabel(workspace, locale)).join(', ') });
}

/** What the setter of `remind everywhere` hears when a home channel refused it for good: which channel, and what to do. */
export function refusedHome(locale: Locale, number: number, conversation: string, refusal: { reason: string }): string | undefined {
  const params = { number, channel: channelLabel(conversation) };
  if (refusal.reason === 'notInChannel') return t(locale, 'everywhere.refused.notInChannel', params);
  if (refusal.reason === 'channelGone') return t(locale, 'everywhere.refused.channelGone', params);
  return undefined;
}
