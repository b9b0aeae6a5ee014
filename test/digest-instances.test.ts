// Three Minga instances on the real server posting weekly digests due together, one and then many: each is posted exactly once and its next week queued once, coordinated only through Postgres.
import { and, count, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../db/connection.js';
import { alliances, deliveries, digestSubscriptions, scheduledJobs } from '../db/schema.js';
import { digestJobHandlers } from '../src/digest-jobs.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { recordingDelivery } from './support/delivery.js';
import { insertSubscription } from './support/digests.js';

// PGlite is one connection in one process: it cannot show a race between instances, so this runs on the server only.
const onServer = databaseTargets().includes('postgres');
/** Monday 30 November 2026, 09:00 UTC, and the Monday after. */
const DUE = new Date('2026-11-30T09:00:00Z');
const NEXT = new Date('2026-12-07T09:00:00Z');

describe.skipIf(!onServer)('digests across instances on the real server', () => {
  let database: TestDatabase;
  let instances: Database[];

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    instances = await Promise.all([1, 2, 3].map(() => openPostgres(database.url!, 4)));
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await database.close();
  });

  /** `n` channels of one alliance subscribed, all due at DUE; three instances tick at once, round after round, until none finds work. */
  async function run(name: string, n: number) {
    const { db } = database;
    const [alliance] = await db.insert(alliances).values({ name }).returning();
    const allianceId = alliance!.id;
    for (let i = 0; i < n; i++) await insertSubscription(db, { allianceId, conversation: `slack:T${name}:C${i}`, nextAt: DUE });

    const delivery = recordingDelivery();
    const log = pino({ level: 'silent' });
    const now = () => new Date(DUE.getTime() + 1000);
    const defaults = { locale: 'en' as const, timeZone: 'UTC' };
    const schedulers = instances.map((instance) =>
      createScheduler({ db: instance.db, log, now, batch: 8, handlers: digestJobHandlers({ db: instance.db, delivery, defaults, log, now }) }),
    );
    for (let round = 0; round < 100; round++) {
      const ran = await Promise.all(schedulers.flatMap((scheduler) => [scheduler.tick(), scheduler.tick()]));
      if (ran.every((jobs) => jobs === 0)) break;
    }

    const posted = delivery.posts.map((post) => post.conversation);
    const [recorded] = await db.select({ n: count() }).from(deliveries).where(eq(deliveries.allianceId, allianceId));
    const subscriptions = await db.select({ nextAt: digestSubscriptions.nextAt }).from(digestSubscriptions).where(eq(digestSubscriptions.allianceId, allianceId));
    const waiting = await db
      .select({ runAt: scheduledJobs.runAt })
      .from(scheduledJobs)
      .where(and(eq(scheduledJobs.allianceId, allianceId), isNull(scheduledJobs.doneAt)));
    return { posted, recorded: recorded!.n, subscriptions, waiting };
  }

  it('GIVEN one subscription due and three instances ticking at once THEN its digest is posted exactly once, and its next week queued once', async () => {
    const found = await run('one', 1);
    expect(found.posted).toEqual(['slack:Tone:C0']);
    expect(found.recorded).toBe(1);
    expect(found.subscriptions).toEqual([{ nextAt: NEXT }]);
    expect(found.waiting).toEqual([{ runAt: NEXT }]);
  });

  it('GIVEN 300 subscriptions due together and three instances ticking at once THEN each digest is posted exactly once, and each next week queued once', async () => {
    const n = 300;
    const found = await run('many', n);
    expect(found.posted).toHaveLength(n);
    expect(new Set(found.posted).size).toBe(n);
    expect(found.recorded).toBe(n);
    expect(found.subscriptions.every((row) => row.nextAt?.getTime() === NEXT.getTime())).toBe(true);
    expect(found.waiting).toHaveLength(n);
    expect(found.waiting.every((row) => row.runAt.getTime() === NEXT.getTime())).toBe(true);
  });
});
