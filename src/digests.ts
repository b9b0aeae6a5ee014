// Weekly digests: a channel's subscription (when, in which language, paused or not) and the scheduled job for each occurrence.
import type { Db } from '../db/connection.js';
import { digestSubscriptions } from '../db/schema.js';
import { scheduleJob } from './scheduler/jobs.js';
import type { Recurrence } from './time/recurrence.js';

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
