// A core with its scheduler on a movable clock and a recording delivery: the rig for poll tests on any database.
import { pino } from 'pino';
import type { Db } from '../../db/connection.js';
import { pollJobHandlers } from '../../src/poll-jobs.js';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.js';
import { createTestCore, FIXED_NOW, type TestCore } from './core.js';
import { recordingDelivery, type RecordingDelivery } from './delivery.js';

export interface PollRig {
  core: TestCore;
  delivery: RecordingDelivery;
  /** A fresh scheduler, as after a restart, sharing the clock and delivery. */
  newScheduler(): Scheduler;
  scheduler: Scheduler;
  clock: { now: Date; advance(ms: number): void };
}

export function pollRig(db: Db): PollRig {
  const clock = {
    now: new Date(FIXED_NOW),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const now = () => clock.now;
  const delivery = recordingDelivery();
  const log = pino({ level: 'silent' });
  const newScheduler = () =>
    createScheduler({ db, log, now, handlers: pollJobHandlers({ db, delivery, defaults: { locale: 'en', timeZone: 'UTC' }, log, now }) });
  const scheduler = newScheduler();
  const core = createTestCore(db, { now, kick: () => scheduler.tick() });
  return { core, delivery, newScheduler, scheduler, clock };
}
