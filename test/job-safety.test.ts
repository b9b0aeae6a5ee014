// Jobs across instances and crashes, on any database: claims renewed while a job runs past its lease, attempts counted at claim time so a job that kills its process is given up, and commands never waiting behind a tick.
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alliances, reminders, scheduledJobs } from '../db/schema.js';
import { reminderJobHandlers } from '../src/reminder-jobs.js';
import { occurrenceKey } from '../src/reminders.js';
import { CLAIM_LEASE_SECONDS, claimDueJobs, MAX_ATTEMPTS, scheduleJob, type JobKind } from '../src/scheduler/jobs.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { recordingDelivery } from './support/delivery.js';
import { insertReminder } from './support/reminders.js';

const T0 = new Date('2026-11-27T12:00:00Z');
const LEASE_MS = CLAIM_LEASE_SECONDS * 1000;

/** A promise with its resolver outside: a handler waits on it, the test opens it. */
function gate(): { open: () => void; wait: Promise<void> } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { open, wait };
}

/** Until `check` holds, looking again every few ms (bounded by the test's timeout, not asserted on). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.each(databaseTargets())('jobs safe across instances and crashes on %s', (kind) => {
  let database: TestDatabase;
  let allianceId = 0;
  const log = pino({ level: 'silent' });
  /** Each test runs a day apart from the others, so none claims another's jobs. */
  let day = 0;
  const row = async (key: string) => (await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, key)))[0]!;
  /** A job due at the start of a day of its own, and a clock the test moves, starting a second later. */
  const setUp = async (key: string, jobKind: JobKind = 'poll.post') => {
    day += 1;
    const start = new Date(T0.getTime() + day * 86_400_000);
    const payload = jobKind === 'reminder.send' ? { reminderId: 0, due: start.toISOString() } : { pollId: 0 };
    await scheduleJob(database.db, { allianceId, kind: jobKind, key, runAt: start, payload } as Parameters<typeof scheduleJob>[1]);
    const clock = { now: new Date(start.getTime() + 1000) };
    return { clock, now: () => clock.now, pastLease: () => (clock.now = new Date(clock.now.getTime() + LEASE_MS + 1000)) };
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const [alliance] = await database.db.insert(alliances).values({ name: 'job-safety' }).returning();
    allianceId = alliance!.id;
  });
  // What a test leaves claimed or waiting would be due for the next one's scheduler.
  afterEach(async () => void (await database.db.delete(scheduledJobs)));
  afterAll(() => database.close());

  it('GIVEN a job running past its lease with its claim renewed THEN another instance does not take it, and its end finishes it', async () => {
    const key = `long:${kind}`;
    const { now, pastLease } = await setUp(key);
    const slow = gate();
    let runs = 0;
    const handlers = {
      'poll.post': async () => {
        runs += 1;
        await slow.wait;
      },
    };
    const first = createScheduler({ db: database.db, log, now, handlers });
    const second = createScheduler({ db: database.db, log, now, handlers });
    const ticking = first.tick();
    await until(() => runs === 1);
    pastLease();
    expect(await first.renew()).toBe(1);
    expect((await row(key)).claimedAt).toEqual(now());
    // The lease counts from the renewal: a second instance finds nothing to take.
    expect(await second.tick()).toBe(0);
    slow.open();
    expect(await ticking).toBe(1);
    expect(runs).toBe(1);
    // Finished though claimed_at is no longer what the claim returned: a claim is told by its worker and attempt.
    expect((await row(key)).doneAt).toEqual(now());
  });

  it('GIVEN a job running past its lease and never renewed THEN another instance takes it, and the first one’s end does not finish the second’s claim', async () => {
    const key = `lapsed:${kind}`;
    const { now, pastLease } = await setUp(key);
    const slow = gate();
    let runs = 0;
    const first = createScheduler({
      db: database.db,
      log,
      now,
      handlers: {
        'poll.post': async () => {
          runs += 1;
          await slow.wait;
        },
      },
    });
    const ticking = first.tick();
    await until(() => runs === 1);
    pastLease();
    const [taken] = await claimDueJobs(database.db, 'second', now());
    expect(taken).toMatchObject({ key, attempts: 2 });
    slow.open();
    await ticking;
    expect(await row(key)).toMatchObject({ claimedBy: 'second', doneAt: null });
  });

  it('GIVEN jobs running THEN the scheduler renews their claims on its own, on its renewal timer', async () => {
    const key = `timer:${kind}`;
    const { now, clock } = await setUp(key);
    const slow = gate();
    let runs = 0;
    const scheduler = createScheduler({
      db: database.db,
      log,
      now,
      renewEveryMs: 5,
      handlers: {
        'poll.post': async () => {
          runs += 1;
          await slow.wait;
        },
      },
    });
    const ticking = scheduler.tick();
    await until(() => runs === 1);
    const later = new Date(clock.now.getTime() + 60_000);
    clock.now = later;
    await until(async () => (await row(key)).claimedAt?.getTime() === later.getTime());
    slow.open();
    await ticking;
    expect((await row(key)).doneAt).toEqual(later);
  });

  it(`GIVEN a job whose claim lapsed ${MAX_ATTEMPTS} times (its process died each time) THEN the next claim gives it up without running it`, async () => {
    const key = `crashes:${kind}`;
    const { now, pastLease } = await setUp(key);
    // Each claim as a process would make it before it is killed during the job: counted, never ended.
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await claimDueJobs(database.db, `dead${attempt}`, now())).toMatchObject([{ key, attempts: attempt }]);
      pastLease();
    }
    let runs = 0;
    const scheduler = createScheduler({ db: database.db, log, now, handlers: { 'poll.post': async () => void (runs += 1) } });
    expect(await scheduler.tick()).toBe(1);
    expect(runs).toBe(0);
    expect(await row(key)).toMatchObject({ attempts: MAX_ATTEMPTS + 1, doneAt: now(), lastError: expect.stringContaining('given up') });
    expect(await scheduler.tick()).toBe(0);
  });

  it(`GIVEN a daily reminder whose occurrence's claim lapsed ${MAX_ATTEMPTS} times THEN it is given up unsent and the reminder moves on to the next day`, async () => {
    day += 1;
    const due = new Date(T0.getTime() + day * 86_400_000);
    const channel = `console:ws:crashing-${kind}`;
    const set = await insertReminder(database.db, {
      allianceId,
      target: { conversation: channel },
      text: 'Crashes the process',
      nextAt: due,
      recurrence: { kind: 'daily', time: { hour: 12, minute: 0 } },
    });
    const clock = { now: new Date(due.getTime() + 1000) };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await claimDueJobs(database.db, `dead${attempt}`, clock.now);
      clock.now = new Date(clock.now.getTime() + LEASE_MS + 1000);
    }
    const delivery = recordingDelivery();
    const now = () => clock.now;
    const handlers = reminderJobHandlers({ db: database.db, delivery, defaults: { locale: 'en', timeZone: 'UTC' }, log, now });
    expect(await createScheduler({ db: database.db, log, now, handlers }).tick()).toBe(1);
    expect(delivery.posts).toEqual([]);
    const [reminder] = await database.db.select().from(reminders).where(eq(reminders.id, set.id));
    expect(reminder).toMatchObject({ status: 'active', nextAt: new Date(due.getTime() + 86_400_000) });
    expect(await row(occurrenceKey(set.id, due))).toMatchObject({ attempts: MAX_ATTEMPTS + 1, doneAt: now() });
    expect((await row(occurrenceKey(set.id, reminder!.nextAt!))).doneAt).toBeNull();
  });

  it(`GIVEN a job whose claim lapsed ${MAX_ATTEMPTS - 1} times THEN it still runs on the last attempt`, async () => {
    const key = `crashes-less:${kind}`;
    const { now, pastLease } = await setUp(key);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      await claimDueJobs(database.db, `dead${attempt}`, now());
      pastLease();
    }
    let runs = 0;
    const scheduler = createScheduler({ db: database.db, log, now, handlers: { 'poll.post': async () => void (runs += 1) } });
    await scheduler.tick();
    expect(runs).toBe(1);
    expect(await row(key)).toMatchObject({ attempts: MAX_ATTEMPTS, lastError: null, doneAt: now() });
  });

  it('GIVEN a job that ends well and asks to run again many times (a refresh during a burst) THEN it is never given up', async () => {
    const key = `again:${kind}`;
    const { now, clock } = await setUp(key);
    let runs = 0;
    const scheduler = createScheduler({
      db: database.db,
      log,
      now,
      handlers: { 'poll.post': async () => ((runs += 1) < 3 * MAX_ATTEMPTS ? { again: now() } : undefined) },
    });
    while ((await scheduler.tick()) > 0) clock.now = new Date(clock.now.getTime() + 1000);
    expect(runs).toBe(3 * MAX_ATTEMPTS);
    expect(await row(key)).toMatchObject({ attempts: 1, lastError: null, doneAt: expect.any(Date) });
  });

  it('GIVEN a tick whose pool is full of hanging jobs and still claiming THEN a kick runs its command’s job at once beside it', async () => {
    const { now } = await setUp(`busy:0:${kind}`);
    const start = new Date(now().getTime() - 1000);
    for (let i = 1; i < 4; i++) await scheduleJob(database.db, { allianceId, kind: 'poll.post', key: `busy:${i}:${kind}`, runAt: start, payload: { pollId: 0 } });
    await scheduleJob(database.db, { allianceId, kind: 'poll.close', key: `command:${kind}`, runAt: new Date(start.getTime() + 500), payload: { pollId: 0 } });
    const hang = gate();
    let hanging = 0;
    let commandRan = false;
    const scheduler = createScheduler({
      db: database.db,
      log,
      now,
      concurrency: 2,
      batch: 2,
      handlers: {
        'poll.post': async () => {
          hanging += 1;
          await hang.wait;
        },
        'poll.close': async () => void (commandRan = true),
      },
    });
    const ticking = scheduler.tick();
    await until(() => hanging === 2);
    // Another cron tick is skipped while this one waits for room: ticks do not pile up.
    expect(await scheduler.tick()).toBe(0);
    await scheduler.kick([`command:${kind}`]);
    expect(commandRan).toBe(true);
    expect(scheduler.stats()).toMatchObject({ ticks: 1, skipped: 1 });
    hang.open();
    await ticking;
    await scheduler.stop();
  });
});
