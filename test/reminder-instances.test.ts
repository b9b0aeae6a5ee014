// Three Minga instances on the real server delivering 300 reminders due together: each is delivered exactly once, coordinated only through Postgres.
import { count, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../db/connection.js';
import { alliances, deliveries, members, reminders, scheduledJobs, workspaces } from '../db/schema.js';
import { reminderJobHandlers } from '../src/reminder-jobs.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import { FIXED_NOW } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { recordingDelivery } from './support/delivery.js';
import { insertReminder } from './support/reminders.js';

const onServer = databaseTargets().includes('postgres');
const REMINDERS = 300;

describe.skipIf(!onServer)('reminders across instances on the real server', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(() => database.close());

  it(`GIVEN ${REMINDERS} reminders due together and three instances ticking at once THEN each is delivered exactly once`, async () => {
    const { db } = database;
    const [alliance] = await db.insert(alliances).values({ name: 'three' }).returning();
    const [workspace] = await db.insert(workspaces).values({ allianceId: alliance!.id, platform: 'console', externalId: 'three' }).returning();
    const people = await db
      .insert(members)
      .values(Array.from({ length: REMINDERS }, (_, i) => ({ allianceId: alliance!.id, workspaceId: workspace!.id, platformUserId: `m${i}` })))
      .returning();
    const due = new Date(FIXED_NOW.getTime() + 60_000);
    for (const [i, person] of people.entries()) {
      await insertReminder(db, { allianceId: alliance!.id, createdBy: people[0]!.id, target: { member: person.id }, text: `Reminder ${i}`, nextAt: due });
    }

    const delivery = recordingDelivery();
    const log = pino({ level: 'silent' });
    const now = () => new Date(due.getTime() + 1000);
    const instances = await Promise.all([1, 2, 3].map(() => openPostgres(database.url!, 4)));
    const schedulers = instances.map((instance) =>
      createScheduler({ db: instance.db, log, now, handlers: reminderJobHandlers({ db: instance.db, delivery, defaults: { locale: 'en', timeZone: 'UTC' }, log, now }) }),
    );
    try {
      // Every instance ticks twice at once, round after round, until none finds anything due.
      for (let round = 0; round < 100; round++) {
        const ran = await Promise.all(schedulers.flatMap((scheduler) => [scheduler.tick(), scheduler.tick()]));
        if (ran.every((jobs) => jobs === 0)) break;
      }
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }

    const received = delivery.directs.map((sent) => sent.userId);
    expect(received).toHaveLength(REMINDERS);
    expect(new Set(received).size).toBe(REMINDERS);
    const [recorded] = await db.select({ n: count() }).from(deliveries).where(eq(deliveries.allianceId, alliance!.id));
    expect(recorded!.n).toBe(REMINDERS);
    const [active] = await db.select({ n: count() }).from(reminders).where(eq(reminders.status, 'active'));
    expect(active!.n).toBe(0);
    const [waiting] = await db.select({ n: count() }).from(scheduledJobs).where(isNull(scheduledJobs.doneAt));
    expect(waiting!.n).toBe(0);
  });
});
