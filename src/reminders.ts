// Reminders: who hears what and when (a member, each member of an organization, or a channel; once or recurring), and the scheduled job for each occurrence.
import type { Db } from '../db/connection.js';
import type { reminders } from '../db/schema.js';
import { scheduleJob } from './scheduler/jobs.js';

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
