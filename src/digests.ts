// Weekly digests: a channel's subscription (when, in which language, paused or not) and the scheduled job for each occurrence.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { digestSubscriptions } from '../db/schema.js';
import { digestTimeNotUnderstood } from './commands/parse-digest.js';
import { unquote } from './commands/tokens.js';
import { UserError } from './errors.js';
import { allianceLocale, localeFromPlatform, type Locale } from './i18n/index.js';
import type { Actor } from './identity.js';
import { scheduleJob } from './scheduler/jobs.js';
import { weekdayOf } from './time/dates.js';
import { readWhen } from './time/read.js';
import { nextOccurrence, type Recurrence, type Weekday } from './time/recurrence.js';
import { wallClock } from './time/zones.js';

export type DigestRow = typeof digestSubscriptions.$inferSelect;

/** What `digest on` alone means: Monday at 09:00 in the alliance's zone. */
export const DEFAULT_DIGEST_SCHEDULE: Recurrence = { kind: 'weekly', days: [1], time: { hour: 9, minute: 0 } };

/**
 * One occurrence of a subscription: the scheduled job's key, and what its post is recorded under in `deliveries` (checked
 * before any send), so an occurrence is queued once and posted once.
 */
export function digestKey(subscriptionId: number, due: Date): string {
  return `digest:${subscriptionId}:${due.toISOString()}`;
}

/** Queues the subscription's next occurrence (its `nextAt`), in the caller's transaction. A paused or stopped one has none. */
export async function scheduleNextDigest(tx: Db, subscription: DigestRow): Promise<void> {
  if (subscription.status !== 'active' || !subscription.nextAt) return;
  await scheduleJob(tx, {
    allianceId: subscription.allianceId,
    kind: 'digest.send',
    key: digestKey(subscription.id, subscription.nextAt),
    runAt: subscription.nextAt,
    payload: { subscriptionId: subscription.id, due: subscription.nextAt.toISOString() },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Subscriptions, for the commands (src/digest-commands.ts) and the alliance's zone (src/zone-commands.ts)

/**
 * A digest's schedule as typed, read by the one time reader in the alliance's zone (a day without a time is at 09:00):
 * - nothing: DEFAULT_DIGEST_SCHEDULE, Monday 09:00;
 * - a weekly rule with one day ("every friday 17:00", "cada viernes a las 17"): that rule;
 * - a time alone ("17:00", "a las 17"): Mondays at that time;
 * - a day or a moment ("friday 17:00", "el viernes a las 17", "friday", "Dec 5"): that weekday, every week, at that time;
 * - any other rule (daily, monthly, several days) is refused: a digest is weekly; text not understood is refused too.
 */
export function readDigestSchedule(when: string | undefined, context: { now: Date; timeZone: string; locale?: Locale }): Recurrence {
  if (when === undefined || !when.trim()) return DEFAULT_DIGEST_SCHEDULE;
  const reading = { now: context.now, timeZone: context.timeZone, defaultTime: '09:00', ...(context.locale && { locale: context.locale }) };
  const read = readWhen(when, reading);
  if (!read.ok) throw digestTimeNotUnderstood(when);
  if (read.kind === 'recurring') {
    if (read.rule.kind === 'weekly' && read.rule.days.length === 1) return read.rule;
    throw new UserError('error.digestWeekly', { input: unquote(when.trim()) });
  }
  // A time alone reads as today's or tomorrow's: it means a time of day, so Monday's. It is one exactly when "every
  // monday" before it makes a rule of Mondays alone ("every monday friday" would add Fridays: "friday" is a day).
  const asMondays = readWhen(`every monday ${unquote(when.trim())}`, reading);
  if (asMondays.ok && asMondays.kind === 'recurring' && asMondays.rule.kind === 'weekly' && asMondays.rule.days.join() === '1') return asMondays.rule;
  const { hour, minute } = wallClock(read.at, context.timeZone);
  return { kind: 'weekly', days: [weekdayOf(read.date) as Weekday], time: { hour, minute } };
}

/** The subscription of a channel of the alliance, whatever its status. */
export async function channelSubscription(tx: Db, allianceId: number, conversation: string): Promise<DigestRow | undefined> {
  const [row] = await tx
    .select()
    .from(digestSubscriptions)
    .where(and(eq(digestSubscriptions.allianceId, allianceId), eq(digestSubscriptions.conversation, conversation)));
  return row;
}

/**
 * Subscribes a channel, or changes its subscription (schedule, language) and makes it active again when paused or off: what
 * `digest on` says is the whole subscription. Its zone is the alliance's; its next occurrence is queued, and one queued
 * before under another time finds the subscription moved and does nothing (as reminders do).
 */
export async function subscribeChannel(
  tx: Db,
  actor: Actor,
  spec: { conversation: string; schedule: Recurrence; locale: Locale | null },
  now: Date,
): Promise<DigestRow> {
  const timeZone = actor.alliance.timeZone;
  const values = {
    allianceId: actor.alliance.id,
    locale: spec.locale,
    schedule: spec.schedule,
    timeZone,
    nextAt: nextOccurrence(spec.schedule, now, timeZone),
    status: 'active',
    pausedReason: null,
    createdBy: actor.member.id,
    updatedAt: now,
  };
  const [row] = await tx
    .insert(digestSubscriptions)
    .values({ ...values, conversation: spec.conversation, createdAt: now })
    .onConflictDoUpdate({ target: digestSubscriptions.conversation, set: values })
    .returning();
  await scheduleNextDigest(tx, row!);
  return row!;
}

/** Stops a channel's digest (kept, status 'off', so `digest on` can bring it back); undefined when it had none to stop. */
export async function unsubscribeChannel(tx: Db, allianceId: number, conversation: string, now: Date): Promise<DigestRow | undefined> {
  const [row] = await tx
    .update(digestSubscriptions)
    .set({ status: 'off', nextAt: null, updatedAt: now })
    .where(
      and(
        eq(digestSubscriptions.allianceId, allianceId),
        eq(digestSubscriptions.conversation, conversation),
        inArray(digestSubscriptions.status, ['active', 'paused']),
      ),
    )
    .returning();
  return row;
}

/**
 * The alliance's zone changed: its subscriptions take it (a digest comes at the alliance's local time), and the active
 * ones are due at their time in it. Jobs queued for the old times find the subscription moved and do nothing.
 */
export async function followAllianceZone(tx: Db, allianceId: number, timeZone: string, now: Date): Promise<void> {
  const rows = await tx
    .update(digestSubscriptions)
    .set({ timeZone, updatedAt: now })
    .where(and(eq(digestSubscriptions.allianceId, allianceId), inArray(digestSubscriptions.status, ['active', 'paused'])))
    .returning();
  for (const row of rows) {
    if (row.status !== 'active') continue;
    const nextAt = nextOccurrence(row.schedule as Recurrence, now, timeZone);
    const [moved] = await tx.update(digestSubscriptions).set({ nextAt }).where(eq(digestSubscriptions.id, row.id)).returning();
    await scheduleNextDigest(tx, moved!);
  }
}

/** A channel's digest language: chosen with `--lang`, else the alliance's, else the deployment's. */
export function digestLocale(subscription: Pick<DigestRow, 'locale'>, alliance: { locale: string | null }, fallback: Locale): Locale {
  return localeFromPlatform(subscription.locale) ?? allianceLocale(alliance, fallback);
}
