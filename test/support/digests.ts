// Digest subscriptions as `digest on` leaves them (a row and its queued occurrence), for delivery tests, and a database that dies as a job finishes, as a killed process would.
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
 * The database as a digest job sees it in a process killed just as it finishes the job, after the post and its record:
 * the statements before run; finishing (a raw statement, or a transaction) fails, as would everything after it.
 */
export function killedBeforeFinishing(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'transaction' || property === 'execute') return () => Promise.reject(new Error('process killed'));
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
