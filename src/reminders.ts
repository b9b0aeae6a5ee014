// Reminders: who hears what and when (a member, each member of an organization, or a channel; once or recurring), and the scheduled job for each occurrence.
import { alias } from 'drizzle-orm/pg-core';
import { and, asc, count, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { members, organizationMembers, organizations, reminders } from '../db/schema.js';
import type { ChannelMention, ReminderRef, ReminderTarget } from './commands/command.js';
import { REMINDER_TEXT_MAX } from './commands/parse-remind.js';
import { checkOrgSlug } from './commands/rules.js';
import { conversationIn, parseConversationId } from './conversation.js';
import { UserError } from './errors.js';
import { displayMember, isCoordinator, memberForMention, memberNameOn, memberTimeZone, shownPlatform, type Actor } from './identity.js';
import { nextNumber } from './numbers.js';
import { findOrganization } from './organizations.js';
import { authorize } from './permissions.js';
import { scheduleJob } from './scheduler/jobs.js';
import { readWhen, timeNotUnderstood } from './time/read.js';
import type { Recurrence } from './time/recurrence.js';
import { EVERYWHERE, requireHomeChannels } from './everywhere.js';
import { formatMoment } from './time/zones.js';

export type ReminderRow = typeof reminders.$inferSelect;

/** The scheduled job's key for one occurrence: unique, so an occurrence is queued once however often it is asked for. */
export function occurrenceKey(reminderId: number, due: Date): string {
  return `reminder:${reminderId}:${due.toISOString()}`;
}

/**
 * What one delivery of an occurrence to one recipient is recorded under in `deliveries` (checked before any send):
 * the recipient is a conversation id for a channel, `platform:workspace:user` for a direct message.
 */
export function deliveryKey(reminderId: number, due: Date, recipient: string): string {
  return `${occurrenceKey(reminderId, due)}:${recipient}`;
}

/** Queues the reminder's next occurrence (its `nextAt`), in the caller's transaction. A finished or cancelled one has none. */
export async function scheduleNextOccurrence(tx: Db, reminder: ReminderRow): Promise<void> {
  if (reminder.status !== 'active' || !reminder.nextAt) return;
  await scheduleJob(tx, {
    allianceId: reminder.allianceId,
    kind: 'reminder.send',
    key: occurrenceKey(reminder.id, reminder.nextAt),
    runAt: reminder.nextAt,
    payload: { reminderId: reminder.id, due: reminder.nextAt.toISOString() },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Setting, listing and cancelling reminders, for the commands (src/reminder-commands.ts)

/** Who a reminder is for, as the reader is shown it. */
export type TargetLabel =
  | { kind: 'you' }
  | { kind: 'member'; name: string }
  | { kind: 'organization'; name: string; slug: string }
  | { kind: 'channel'; name: string }
  | { kind: 'here' }
  | { kind: 'everywhere' };

export interface CreatedReminder {
  reminder: ReminderRow;
  target: TargetLabel;
  /** Its first occurrence, in `reminder.timeZone`. */
  first: Date;
  recurrence: Recurrence | null;
}

export interface ReminderView {
  reminder: ReminderRow;
  target: TargetLabel;
  /** Who set it, when that is not the reader; null for Minga's own (task due dates) or the reader's. */
  setter: string | null;
}

/** What one list shows; the rest are counted. */
export const REMINDER_LIST_MAX = 50;

interface ResolvedTarget {
  values: Pick<typeof reminders.$inferInsert, 'targetKind' | 'targetMemberId' | 'targetOrganizationId' | 'targetConversation'>;
  label: TargetLabel;
  /** The zone the time is read in: a member's own; for an organization or a channel, which have none, the alliance's. */
  timeZone: string;
}

/**
 * Sets a reminder: resolves whom it is for, reads `when` in that target's zone (a member's own zone; the alliance's for
 * an organization or a channel), refuses a time already past, stores it and queues its first occurrence.
 */
export async function createReminder(
  tx: Db,
  actor: Actor,
  spec: { target: ReminderTarget; when: string; text: string },
  now: Date,
): Promise<CreatedReminder> {
  const text = checkReminderText(spec.text);
  const target = await resolveTarget(tx, actor, spec.target);
  const when = readWhen(spec.when, { now, timeZone: target.timeZone, locale: actor.locale });
  if (!when.ok) throw timeNotUnderstood(spec.when, 'moment');
  if (when.at <= now) {
    throw new UserError('error.reminderPast', { when: formatMoment(when.at, actor.locale, target.timeZone), zone: target.timeZone });
  }
  const recurrence = when.kind === 'recurring' ? when.rule : null;
  const [reminder] = await tx
    .insert(reminders)
    .values({
      allianceId: actor.alliance.id,
      number: await nextNumber(tx, actor.alliance.id, 'reminder'),
      createdBy: actor.member.id,
      ...target.values,
      text,
      nextAt: when.at,
      recurrence,
      timeZone: target.timeZone,
    })
    .returning();
  await scheduleNextOccurrence(tx, reminder!);
  return { reminder: reminder!, target: target.label, first: when.at, recurrence };
}

/** A reminder's text: present, at most 1,000 characters (structured commands skip the text parser, so checked here too). */
export function checkReminderText(input: string): string {
  const text = input.trim();
  if (!text) throw new UserError('error.reminderTextMissing');
  const length = [...text].length;
  if (length > REMINDER_TEXT_MAX) throw new UserError('error.reminderTextTooLong', { length, max: REMINDER_TEXT_MAX });
  return text;
}

async function resolveTarget(tx: Db, actor: Actor, target: ReminderTarget): Promise<ResolvedTarget> {
  const allianceZone = actor.alliance.timeZone;
  const none = { targetMemberId: null, targetOrganizationId: null, targetConversation: null };
  switch (target.kind) {
    case 'me':
      return { values: { ...none, targetKind: 'member', targetMemberId: actor.member.id }, label: { kind: 'you' }, timeZone: actor.timeZone };
    case 'member': {
      const member = await memberForMention(tx, actor, target.member);
      const label: TargetLabel = member.id === actor.member.id ? { kind: 'you' } : { kind: 'member', name: await displayMember(tx, member) };
      return { values: { ...none, targetKind: 'member', targetMemberId: member.id }, label, timeZone: memberTimeZone(member, actor.alliance) };
    }
    case 'organization': {
      const organization = await findOrganization(tx, actor, checkOrgSlug(target.slug));
      const label: TargetLabel = { kind: 'organization', name: organization.name, slug: organization.slug };
      return { values: { ...none, targetKind: 'organization', targetOrganizationId: organization.id }, label, timeZone: allianceZone };
    }
    case 'channel': {
      const { channelId, name } = vouchedChannel(actor, target.channel);
      const conversation = conversationIn(actor.requester, channelId)!;
      return { values: { ...none, targetKind: 'channel', targetConversation: conversation }, label: { kind: 'channel', name }, timeZone: allianceZone };
    }
    case 'here': {
      const conversation = conversationIn(actor.requester);
      if (!conversation) throw new UserError('error.hereUnknown');
      return { values: { ...none, targetKind: 'channel', targetConversation: conversation }, label: { kind: 'here' }, timeZone: allianceZone };
    }
    case 'everywhere':
      // A channel reminder whose channels are read at each occurrence (see everywhere.ts): no schema change, no new kind.
      await requireHomeChannels(tx, actor);
      return { values: { ...none, targetKind: 'channel', targetConversation: EVERYWHERE }, label: { kind: 'everywhere' }, timeZone: allianceZone };
  }
}

/**
 * The channel a command named, in the requester's workspace. On the console a name is the channel; on a platform only
 * one the platform vouched for counts (see Requester.channels), found by its id or by the name it showed.
 */
export function vouchedChannel(actor: Actor, mention: ChannelMention): { channelId: string; name: string } {
  const typed = mention.name ?? mention.id ?? '';
  if (actor.requester.platform === 'console') return { channelId: typed, name: typed };
  const vouched = actor.requester.channels?.find(
    (channel) => (mention.id !== undefined && channel.id === mention.id) || (mention.name !== undefined && (channel.name === mention.name || channel.id === mention.name)),
  );
  if (!vouched) throw new UserError('error.channelUnknown', { input: `#${typed}` });
  return { channelId: vouched.id, name: vouched.name ?? mention.name ?? vouched.id };
}

const targetMember = alias(members, 'target_member');
const setterMember = alias(members, 'setter_member');

/**
 * The active reminders a member may see, soonest first: those for them (directly or through one of their organizations)
 * and those they set; a coordinator sees every one in the alliance. At most REMINDER_LIST_MAX, with how many there are.
 */
export async function listReminders(tx: Db, actor: Actor): Promise<{ views: ReminderView[]; total: number }> {
  const mine = or(
    eq(reminders.createdBy, actor.member.id),
    eq(reminders.targetMemberId, actor.member.id),
    inArray(
      reminders.targetOrganizationId,
      tx.select({ id: organizationMembers.organizationId }).from(organizationMembers).where(eq(organizationMembers.memberId, actor.member.id)),
    ),
  );
  const visible = and(eq(reminders.allianceId, actor.alliance.id), eq(reminders.status, 'active'), isCoordinator(actor) ? undefined : mine);
  const [counted] = await tx.select({ total: count() }).from(reminders).where(visible);
  const rows = await viewQuery(tx).where(visible).orderBy(asc(reminders.nextAt), asc(reminders.number)).limit(REMINDER_LIST_MAX);
  return { views: rows.map((row) => view(row, actor)), total: counted?.total ?? 0 };
}

/** Cancels a reminder: whoever set it, the member it is for, or a coordinator may. Its queued occurrence then finds it cancelled. */
export async function cancelReminder(tx: Db, actor: Actor, ref: ReminderRef): Promise<ReminderView> {
  const [locked] = await tx
    .select()
    .from(reminders)
    .where(and(eq(reminders.allianceId, actor.alliance.id), eq(reminders.number, ref.number)))
    .for('update');
  if (!locked) throw new UserError('error.reminderNotFound', { number: ref.number });
  authorize(actor, 'reminder.cancel', { createdBy: locked.createdBy, targetMemberId: locked.targetMemberId });
  if (locked.status !== 'active') throw new UserError('error.reminderNotActive', { number: ref.number });
  await tx.update(reminders).set({ status: 'cancelled', nextAt: null }).where(eq(reminders.id, locked.id));
  const [row] = await viewQuery(tx).where(eq(reminders.id, locked.id));
  return view(row!, actor);
}

function viewQuery(tx: Db) {
  return tx
    .select({
      reminder: reminders,
      memberName: targetMember.displayName,
      memberUserId: targetMember.platformUserId,
      memberPlatform: shownPlatform(targetMember.workspaceId),
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
      setterName: setterMember.displayName,
      setterUserId: setterMember.platformUserId,
      setterPlatform: shownPlatform(setterMember.workspaceId),
    })
    .from(reminders)
    .leftJoin(targetMember, eq(targetMember.id, reminders.targetMemberId))
    .leftJoin(organizations, eq(organizations.id, reminders.targetOrganizationId))
    .leftJoin(setterMember, eq(setterMember.id, reminders.createdBy))
    .$dynamic();
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['execute']>>[number];

function view(row: ViewRow, actor: Actor): ReminderView {
  const { reminder } = row;
  const setter = reminder.createdBy !== null && reminder.createdBy !== actor.member.id && row.setterUserId !== null
    ? memberNameOn({ displayName: row.setterName, platformUserId: row.setterUserId }, row.setterPlatform)
    : null;
  return { reminder, target: labelOf(row, actor), setter };
}

function labelOf(row: ViewRow, actor: Actor): TargetLabel {
  const { reminder } = row;
  if (reminder.targetKind === 'organization' && row.organizationSlug !== null) {
    return { kind: 'organization', name: row.organizationName ?? row.organizationSlug, slug: row.organizationSlug };
  }
  if (reminder.targetKind === 'channel' && reminder.targetConversation === EVERYWHERE) return { kind: 'everywhere' };
  if (reminder.targetKind === 'channel') {
    const parts = reminder.targetConversation ? parseConversationId(reminder.targetConversation) : undefined;
    const here = parts && parts.platform === actor.requester.platform && parts.workspaceId === actor.requester.workspaceId && parts.channelId === actor.requester.channelId;
    return here ? { kind: 'here' } : { kind: 'channel', name: parts?.channelId ?? '?' };
  }
  if (reminder.targetMemberId === actor.member.id) return { kind: 'you' };
  return { kind: 'member', name: memberNameOn({ displayName: row.memberName, platformUserId: row.memberUserId ?? '?' }, row.memberPlatform) };
}
