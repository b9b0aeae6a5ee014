// The scheduler's rails on any database: claims, finishing, re-arming while running, retries with backoff, pruning.
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, scheduledJobs } from '../db/schema.js';
import { claimDueJobs, finishJob, finishJobs, MAX_ATTEMPTS, pruneFinishedJobs, requestJob, scheduleJob } from '../src/scheduler/jobs.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

const T0 = new Date('2026-11-27T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(databaseTargets())('scheduled jobs on %s', (kind) => {
  let database: TestDatabase;
  let allianceId = 0;
  const job = async (key: string) => (await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, key)))[0]!;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const [alliance] = await database.db.insert(alliances).values({ name: 'jobs' }).returning();
    allianceId = alliance!.id;
  });
  afterAll(() => database.close());

  it('GIVEN a job queued twice under one key THEN there is one job, claimed once', async () => {
    await scheduleJob(database.db, { allianceId, kind: 'poll.refresh', key: 'once', runAt: at(10), payload: { pollId: 0 } });
    await scheduleJob(database.db, { allianceId, kind: 'poll.refresh', key: 'once', runAt: at(5), payload: { pollId: 0 } });
    expect(await claimDueJobs(database.db, 'w1', at(4))).toEqual([]);
    const claimed = await claimDueJobs(database.db, 'w1', at(6));
    expect(claimed.map((row) => row.key)).toEqual(['once']);
    expect(await claimDueJobs(database.db, 'w2', at(7))).toEqual([]);
    await finishJob(database.db, claimed[0]!, at(8));
    expect((await job('once')).doneAt).toEqual(at(8));
  });

  it('GIVEN a request while its job runs THEN finishing leaves it waiting, a second later', async () => {
    await requestJob(database.db, { allianceId, kind: 'poll.refresh', key: 'refresh', runAt: at(20), payload: { pollId: 0 } }, 1000);
    const [running] = await claimDueJobs(database.db, 'w1', at(20));
    await requestJob(database.db, { allianceId, kind: 'poll.refresh', key: 'refresh', runAt: at(20), payload: { pollId: 0 } }, 1000);
    await requestJob(database.db, { allianceId, kind: 'poll.refresh', key: 'refresh', runAt: at(20), payload: { pollId: 0 } }, 1000);
    await finishJob(database.db, running!, at(21));
    const after = await job('refresh');
    expect(after.doneAt).toBeNull();
    expect(after.runAt).toEqual(at(21));
  });

  it('GIVEN jobs finished together, one of them requested again while running THEN the others are done and that one waits', async () => {
    for (const key of ['together:1', 'together:2', 'together:3']) {
      await requestJob(database.db, { allianceId, kind: 'poll.refresh', key, runAt: at(50), payload: { pollId: 0 } }, 1000);
    }
    const claimed = await claimDueJobs(database.db, 'w1', at(50), { keys: ['together:1', 'together:2', 'together:3'] });
    expect(claimed).toHaveLength(3);
    await requestJob(database.db, { allianceId, kind: 'poll.refresh', key: 'together:2', runAt: at(50), payload: { pollId: 0 } }, 1000);
    await finishJobs(database.db, claimed, at(51));
    expect((await job('together:1')).doneAt).toEqual(at(51));
    expect((await job('together:3')).doneAt).toEqual(at(51));
    expect((await job('together:2')).doneAt).toBeNull();
    expect((await job('together:2')).runAt).toEqual(at(51));
  });

  it('GIVEN a failing handler THEN the job is retried later, and given up after the last attempt', async () => {
    await scheduleJob(database.db, { allianceId, kind: 'poll.post', key: 'broken', runAt: at(30), payload: { pollId: 0 } });
    let clock = at(30);
    const scheduler = createScheduler({ db: database.db, log: pino({ level: 'silent' }), now: () => clock, handlers: { 'poll.post': () => Promise.reject(new Error('boom')) } });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await scheduler.tick();
      const row = await job('broken');
      expect(row.attempts).toBe(attempt);
      expect(row.lastError).toBe('boom');
      clock = new Date(row.runAt.getTime() + 1000);
    }
    expect((await job('broken')).doneAt).not.toBeNull();
  });

  it('GIVEN jobs finished over 30 days ago THEN pruning removes them and keeps the rest', async () => {
    await scheduleJob(database.db, { allianceId, kind: 'poll.refresh', key: 'old', runAt: at(0), payload: { pollId: 0 } });
    await scheduleJob(database.db, { allianceId, kind: 'poll.refresh', key: 'waiting', runAt: at(86_400 * 365), payload: { pollId: 0 } });
    const claimed = await claimDueJobs(database.db, 'w1', at(40));
    await finishJob(database.db, claimed.find((row) => row.key === 'old')!, at(40));
    const removed = await pruneFinishedJobs(database.db, new Date(at(40).getTime() + 31 * 86_400_000));
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, 'old'))).toEqual([]);
    expect((await job('waiting')).key).toBe('waiting');
  });
});

/** A promise with its resolver outside: a handler waits on it, the test opens it. */
function gate(): { open: () => void; wait: Promise<void> } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { open, wait };
}

/** Until `check` holds, looking again every few ms (bounded by the test's timeout, not asserted on). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.each(databaseTargets())('the scheduler pool on %s', (kind) => {
  let database: TestDatabase;
  let allianceId = 0;
  const log = pino({ level: 'silent' });
  /** Each test queues its own jobs a day apart from the others' and runs at that time, so none sees another's. */
  let day = 0;
  const queue = async (count: number, prefix: string, offset = 0) => {
    const runAt = new Date(T0.getTime() + day * 86_400_000 + offset);
    for (let i = 0; i < count; i++) await scheduleJob(database.db, { allianceId, kind: 'reminder.send', key: `${prefix}:${i}`, runAt, payload: { reminderId: i, due: runAt.toISOString() } });
  };
  const clockOfTheDay = () => {
    day += 1;
    const at = new Date(T0.getTime() + day * 86_400_000 + 1000);
    return () => at;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const [alliance] = await database.db.insert(alliances).values({ name: 'pool' }).returning();
    allianceId = alliance!.id;
  });
  afterAll(() => database.close());

  it('GIVEN more due jobs than one claim takes THEN one tick claims batch after batch and runs them all', async () => {
    const now = clockOfTheDay();
    await queue(23, 'batch');
    const ran: string[] = [];
    const scheduler = createScheduler({ db: database.db, log, now, batch: 5, concurrency: 3, handlers: { 'reminder.send': async (job) => void ran.push(job.key) } });
    expect(await scheduler.tick()).toBe(23);
    expect(new Set(ran).size).toBe(23);
    expect(ran).toHaveLength(23);
    expect(await scheduler.tick()).toBe(0);
  });

  it('GIVEN a pool of 4 THEN at most 4 jobs run at once', async () => {
    const now = clockOfTheDay();
    await queue(20, 'pool');
    let inFlight = 0;
    let most = 0;
    const scheduler = createScheduler({
      db: database.db,
      log,
      now,
      batch: 10,
      concurrency: 4,
      handlers: {
        'reminder.send': async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight -= 1;
        },
      },
    });
    expect(await scheduler.tick()).toBe(20);
    expect(most).toBe(4);
  });

  it('GIVEN a tick still busy with a full pool THEN the next cron ticks are skipped, not queued, and every job runs once', async () => {
    const now = clockOfTheDay();
    await queue(3, 'slow');
    const slow = gate();
    const ran: string[] = [];
    const scheduler = createScheduler({
      db: database.db,
      log,
      now,
      batch: 1,
      concurrency: 1,
      handlers: {
        'reminder.send': async (job) => {
          ran.push(job.key);
          await slow.wait;
        },
      },
    });
    scheduler.start();
    try {
      await until(() => scheduler.stats().skipped >= 2);
      slow.open();
      await until(() => ran.length === 3);
    } finally {
      await scheduler.stop();
    }
    expect(ran.sort()).toEqual(['slow:0', 'slow:1', 'slow:2']);
    const rows = await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, 'slow:2'));
    expect(rows[0]!.doneAt).not.toBeNull();
  });

  it('GIVEN a job re-armed while it runs (requestJob) THEN this instance does not start it again until the run has finished', async () => {
    const now = clockOfTheDay();
    const request = () => requestJob(database.db, { allianceId, kind: 'poll.refresh', key: `rearm:${day}`, runAt: now(), payload: { pollId: 0 } }, 0);
    await request();
    const first = gate();
    let runs = 0;
    let inFlight = 0;
    let most = 0;
    const scheduler = createScheduler({
      db: database.db,
      log,
      now,
      handlers: {
        'poll.refresh': async () => {
          runs += 1;
          inFlight += 1;
          most = Math.max(most, inFlight);
          if (runs === 1) await first.wait;
          inFlight -= 1;
        },
      },
    });
    const ticking = scheduler.tick();
    await until(() => runs === 1);
    await request();
    // The row is waiting again, due, yet it is this instance's running job: the next tick leaves it alone.
    expect(await scheduler.tick()).toBe(0);
    first.open();
    expect(await ticking).toBe(1);
    expect(await scheduler.tick()).toBe(1);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it('GIVEN a backlog THEN a kick runs only the jobs it names, at once', async () => {
    const now = clockOfTheDay();
    await queue(10, 'backlog');
    await scheduleJob(database.db, { allianceId, kind: 'poll.post', key: `mine:${day}`, runAt: now(), payload: { pollId: 0 } });
    const ran: string[] = [];
    const record = async (job: { key: string }) => void ran.push(job.key);
    const scheduler = createScheduler({ db: database.db, log, now, handlers: { 'reminder.send': record, 'poll.post': record } });
    await scheduler.kick([`mine:${day}`]);
    expect(ran).toEqual([`mine:${day}`]);
    expect(await scheduler.tick()).toBe(10);
  });

  it('GIVEN a kicked job that hangs THEN the kick returns after its timeout, and the job still finishes', async () => {
    const now = clockOfTheDay();
    await scheduleJob(database.db, { allianceId, kind: 'poll.post', key: `hangs:${day}`, runAt: now(), payload: { pollId: 0 } });
    const hang = gate();
    let finished = false;
    const scheduler = createScheduler({
      db: database.db,
      log,
      now,
      kickTimeoutMs: 20,
      handlers: {
        'poll.post': async () => {
          await hang.wait;
          finished = true;
        },
      },
    });
    await scheduler.kick([`hangs:${day}`]);
    expect(finished).toBe(false);
    hang.open();
    await scheduler.stop();
    expect(finished).toBe(true);
    expect((await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, `hangs:${day}`)))[0]!.doneAt).not.toBeNull();
  });
});
