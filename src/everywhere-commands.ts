// The commands that post in every linked workspace: `poll … --everywhere` (and proposals) and `remind everywhere`, with answers saying where they went and which workspaces were left out.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { postedMessages } from '../db/schema.js';
import type { Command, CommandContext, PollSpec } from './commands/command.js';
import { conversationIn } from './conversation.js';
import { homesOf, linkedWorkspaces, placeLabel, pollCopyKey, skippedLine, spreadFrom, type Spread } from './everywhere.js';
import { recordChange } from './history.js';
import { t, type Locale } from './i18n/index.js';
import { createPoll, pollJobKey, type PollRow } from './polls.js';
import { createReminder } from './reminders.js';
import { renderReminderCreated } from './render/reminders.js';
import type { Reply } from './reply.js';
import { jobFailed, scheduleJob } from './scheduler/jobs.js';

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
    const key = place === spread.origin ? pollJobKey('poll.post', poll.id) : pollCopyKey(poll.id, place);
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

/**
 * `poll … --everywhere`: the poll, posted where it was typed and in every other home channel, each a job of its own run right
 * after the commit; the answer then says where it went. Recorded in the alliance's history (with how many channels).
 */
export async function createPollEverywhere(context: CommandContext, spec: PollSpec, closesAt: Date | null): Promise<Reply> {
  const { tx, actor, now, secret } = context;
  const { locale, requester } = actor;
  const typedIn = conversationIn(requester) ?? null;
  const spread = await spreadFrom(tx, actor, typedIn);
  // The origin's post is queued by createPoll, as for any poll; the copies here, in the same transaction.
  const poll = await createPoll(tx, actor, spec, closesAt, spread.origin, now, secret);
  for (const conversation of spread.copies) {
    await scheduleJob(tx, { allianceId: poll.allianceId, kind: 'poll.post', key: pollCopyKey(poll.id, conversation), runAt: now, payload: { pollId: poll.id, conversation } });
  }
  await recordChange(tx, actor, {
    subject: `poll:${poll.number}`,
    action: 'history.poll.everywhere',
    details: { number: poll.number, question: poll.question, channels: 1 + spread.copies.length },
  });
  context.deliverNow = [pollJobKey('poll.post', poll.id), ...spread.copies.map((conversation) => pollCopyKey(poll.id, conversation))];
  context.afterDelivery = async (db) => linesReply(locale, await spreadOutcome(db, poll, spread, locale));
  return linesReply(locale, [t(locale, 'everywhere.poll.created', { number: poll.number }), ...(spread.skipped.length ? [skippedLine(spread.skipped, locale)] : [])]);
}

const linesReply = (locale: Locale, texts: string[]): Reply => ({ visibility: 'ephemeral', locale, lines: texts.map((text) => ({ text })) });

/**
 * `remind everywhere`: a reminder like any other (coordinators only, refused while no home channel is set: see
 * resolveTarget), and the answer names the home channels it reaches today and the linked workspaces it leaves out. Recorded
 * in the alliance's history by its number (its text goes to the channels, not to the history).
 */
export async function remindEverywhere(context: CommandContext, command: Extract<Command, { kind: 'reminder.create' }>): Promise<Reply> {
  const { tx, actor, now } = context;
  const { locale } = actor;
  const created = await createReminder(tx, actor, command, now);
  const reply = renderReminderCreated(created, locale);
  const linked = await linkedWorkspaces(tx, actor.alliance.id);
  const homes = homesOf(linked);
  const skipped = linked.filter((workspace) => !workspace.homeConversation);
  await recordChange(tx, actor, {
    subject: `reminder:${created.reminder.number}`,
    action: 'history.reminder.everywhere',
    details: { number: created.reminder.number, channels: homes.length },
  });
  const lines = [
    ...reply.lines,
    { text: t(locale, 'everywhere.reminder.places', { places: homes.map((home) => placeLabel(home, linked, locale)).join(', ') }) },
    ...(skipped.length > 0 ? [{ text: skippedLine(skipped, locale) }] : []),
  ];
  return { ...reply, lines };
}
