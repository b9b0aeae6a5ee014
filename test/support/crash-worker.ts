// A Minga instance in a child process for crash tests: told a database, the crash platform and a time, it runs one tick of every job handler there, and is killed with SIGKILL by the test while the jobs run.
import { pino } from 'pino';
import { openPostgres } from '../../db/connection.js';
import { digestJobHandlers } from '../../src/digest-jobs.js';
import { pollJobHandlers } from '../../src/poll-jobs.js';
import { reminderJobHandlers } from '../../src/reminder-jobs.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';
import { crashDelivery } from './crash-platform.js';
import { TEST_SECRET } from './core.js';

export interface CrashWorkerCommand {
  url: string;
  platform: string;
  /** The instance's clock, fixed (ms since the epoch). */
  now: number;
}

process.on('message', (command: CrashWorkerCommand) => {
  void (async () => {
    const database = await openPostgres(command.url, 8);
    const log = pino({ level: 'silent' });
    const now = () => new Date(command.now);
    const deps = { db: database.db, delivery: crashDelivery(command.platform), defaults: { locale: 'en' as const, timeZone: 'UTC' }, log, now };
    const handlers = { ...pollJobHandlers({ ...deps, secret: TEST_SECRET }), ...reminderJobHandlers(deps), ...digestJobHandlers(deps) };
    const scheduler = createScheduler({ db: database.db, log, now, handlers });
    process.send!({ kind: 'ticking' });
    await scheduler.tick();
    process.send!({ kind: 'ticked' });
  })().catch((err: unknown) => process.send!({ kind: 'failed', message: String(err) }));
});
