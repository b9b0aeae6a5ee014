// Digest subscriptions as `digest on` leaves them (a row and its queued occurrence), for delivery tests, and a database that fails as a job finishes, as for a process killed there.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { digestSubscriptions } from '../../db/schema.js';
import { DEFAULT_DIGEST_SCHEDULE, scheduleNextDigest, type DigestRow } from '../../src/digests.js';
import type { Locale } from '../../src/i18n/index.js';
import type { Recurrence } from '../../src/time/recurrence.js';

export interface SubscriptionSpec {
  allianceId: number;
  conversation: string;
  nextAt: Date;
  /** Monday 09:00 unless given. */
  schedule?: Recurrence;
  timeZone?: string;
  /** The digest's own language (`--lang`); the alliance's when absent. */
  locale?: Locale;
  createdBy?: number | null;
}

/** Inserts an active subscription and queues its first occurrence, in one transaction, as subscribing does. */
export function insertSubscription(db: Db, spec: SubscriptionSpec): Promise<DigestRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(digestSubscriptions)
      .values({
        allianceId: spec.allianceId,
        conversation: spec.conversation,
        locale: spec.locale ?? null,
        schedule: spec.schedule ?? DEFAULT_DIGEST_SCHEDULE,
        timeZone: spec.timeZone ?? 'UTC',
        nextAt: spec.nextAt,
        createdBy: spec.createdBy ?? null,
      })
      .returning();
    await scheduleNextDigest(tx, row!);
    return row!;
  });
}

/**
 * Makes the database fail as a digest job finishes, after its post and record, as it would for a process killed there: any
 * change to a subscription (moving it on, or pausing it) raises. Returns what undoes it.
 */
export async function killAtFinish(db: Db): Promise<() => Promise<void>> {
  await db.execute(sql`create or replace function minga_test_killed() returns trigger language plpgsql as $$ begin raise exception 'process killed'; end $$`);
  await db.execute(sql`create trigger minga_test_killed before update on digest_subscriptions for each row execute function minga_test_killed()`);
  return async () => {
    await db.execute(sql`drop trigger minga_test_killed on digest_subscriptions`);
  };
}
