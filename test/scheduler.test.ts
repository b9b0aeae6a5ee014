// The scheduler's rails on any database: claims, finishing, re-arming while running, retries with backoff, pruning.
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, scheduledJobs } from '../db/schema.js';
import { claimDueJobs, finishJob, MAX_ATTEMPTS, pruneFinishedJobs, requestJob, scheduleJob } from '../src/scheduler/jobs.js';
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
