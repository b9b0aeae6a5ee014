// A core with its scheduler on a movable clock and a recording delivery: the rig for poll, reminder and digest tests on any database.
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Db } from '../../db/connection.js';
import type { Adapter } from '../../src/adapter.js';
import { createDelivery, type Delivery } from '../../src/delivery.js';
import type { Logger } from '../../src/log.js';
import type { Observer } from '../../src/observe.js';
import { ballots, members } from '../../db/schema.js';
import { digestJobHandlers } from '../../src/digest-jobs.js';
import { pollJobHandlers } from '../../src/poll-jobs.js';
import { reminderJobHandlers } from '../../src/reminder-jobs.js';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.js';
import { createTestCore, FIXED_NOW, TEST_SECRET, type TestCore } from './core.js';
import { recordingDelivery, type RecordingDelivery } from './delivery.js';

export interface PollRig {
  core: TestCore;
  delivery: RecordingDelivery;
  /** A fresh scheduler, as after a restart, sharing the clock and delivery. */
  newScheduler(): Scheduler;
  scheduler: Scheduler;
  clock: { now: Date; advance(ms: number): void };
}

/**
 * wirePolls at the wire: on a clock starting at FIXED_NOW, delivering through whichever adapters are pushed into
 * `adapters` once they run (a Slack or Discord rig's adapter).
 */
export function wireAdapters(db: Db, options: { observer?: Observer; log?: Logger } = {}) {
  const adapters: Adapter[] = [];
  const clock = { now: new Date(FIXED_NOW) };
  const { core, scheduler } = wirePolls(db, () => clock.now, createDelivery(() => adapters), options.log, { ...(options.observer && { observer: options.observer }) });
  /** Time passes to `minutes` after FIXED_NOW, and the scheduler ticks. */
  const tickAt = async (minutes: number) => {
    clock.now = new Date(FIXED_NOW.getTime() + minutes * 60_000);
    await scheduler.tick();
  };
  return { adapters, clock, core, scheduler, tickAt };
}

/**
 * The core and scheduler wired as src/app.ts does, on a given clock: delivery routes to `adapters` (filled in once they
 * run), and commands kick the scheduler. Its cron is not started: tests tick by hand, so nothing depends on timing.
 */
export function wirePolls(
  db: Db,
  now: () => Date,
  delivery: Delivery,
  log: Logger = pino({ level: 'silent' }),
  options: { kickTimeoutMs?: number; observer?: Observer } = {},
): { core: TestCore; scheduler: Scheduler } {
  const defaults = { locale: 'en' as const, timeZone: 'UTC' };
  const handlers = {
    ...pollJobHandlers({ db, delivery, defaults, log, now, secret: TEST_SECRET }),
    ...reminderJobHandlers({ db, delivery, defaults, log, now }),
    ...digestJobHandlers({ db, delivery, defaults, log, now }),
  };
  const scheduler = createScheduler({ db, log, now, ...options, handlers });
  const observer = options.observer && { observer: options.observer };
  return { core: createTestCore(db, { now, kick: (keys) => scheduler.kick(keys), ...observer }), scheduler };
}

/** `log`: where the scheduler and its handlers write (silence unless given). */
export function pollRig(db: Db, log?: Logger): PollRig {
  const clock = {
    now: new Date(FIXED_NOW),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const now = () => clock.now;
  const delivery = recordingDelivery();
  const { core, scheduler } = wirePolls(db, now, delivery, log);
  const newScheduler = () => wirePolls(db, now, delivery, log).scheduler;
  return { core, delivery, newScheduler, scheduler, clock };
}

/** A poll's ballots as wire tests check them: who (none for anonymous polls) and which positions. */
export function pollBallots(db: Db, pollId: number) {
  return db
    .select({ userId: members.platformUserId, choices: ballots.choices })
    .from(ballots)
    .leftJoin(members, eq(members.id, ballots.memberId))
    .where(eq(ballots.pollId, pollId))
    .orderBy(ballots.voterKey);
}
