// Minga instances for the kill -9 tests: one in a child process (crash-worker.ts), killed in the middle of its jobs, and one in the test's process that runs what it left; and a trigger that stands for a process killed as its jobs end.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { and, isNull, sql } from 'drizzle-orm';
import { pino } from 'pino';
import type { Db } from '../../db/connection.js';
import { scheduledJobs } from '../../db/schema.js';
import { digestJobHandlers } from '../../src/digest-jobs.js';
import type { Logger } from '../../src/log.js';
import { pollJobHandlers } from '../../src/poll-jobs.js';
import { reminderJobHandlers } from '../../src/reminder-jobs.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';
import { TEST_SECRET } from './core.js';
import { crashDelivery, type CrashPlatform } from './crash-platform.js';
import type { CrashWorkerCommand } from './crash-worker.js';

/** A scheduler with every job handler, posting to the crash platform at `platformUrl`, its clock stopped at `now`. */
export function crashScheduler(db: Db, platformUrl: string, now: Date, log: Logger = pino({ level: 'silent' })) {
  const clock = () => now;
  const deps = { db, delivery: crashDelivery(platformUrl), defaults: { locale: 'en' as const, timeZone: 'UTC' }, log, now: clock };
  const handlers = { ...pollJobHandlers({ ...deps, secret: TEST_SECRET }), ...reminderJobHandlers(deps), ...digestJobHandlers(deps) };
  return createScheduler({ db, log, now: clock, handlers });
}

/** Until `check` holds, looking again every few ms (bounded by the test's timeout, not asserted on). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A Minga instance in a child process, ticking once at `now`; what it reports is kept in `reports`. */
export function startCrashInstance(url: string, platformUrl: string, now: Date): { child: ChildProcess; reports: string[] } {
  const child = fork(fileURLToPath(new URL('./crash-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const reports: string[] = [];
  child.on('message', (report: { kind: string; message?: string }) => reports.push(report.message ? `${report.kind}: ${report.message}` : report.kind));
  child.send({ url, platform: platformUrl, now: now.getTime() } satisfies CrashWorkerCommand);
  return { child, reports };
}

export async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A second instance, in this process, at `now` (past the first one's lease), the platform answering at once: how many jobs its tick ran. */
export async function tickAfterTheCrash(db: Db, platform: CrashPlatform, now: Date): Promise<number> {
  platform.mode = 'answer';
  return crashScheduler(db, platform.url, now).tick();
}

/** Jobs due by `now` and not done. */
export function jobsLeft(db: Db, now: Date) {
  return db.select().from(scheduledJobs).where(and(isNull(scheduledJobs.doneAt), sql`${scheduledJobs.runAt} <= ${now.toISOString()}`));
}

/** From now on the database refuses every change to a claimed job, as for a process killed right after its messages were recorded. */
export async function refuseJobEnds(db: Db): Promise<void> {
  await db.execute(sql`create function minga_test_unfinished() returns trigger language plpgsql as $$ begin raise exception 'process killed'; end $$`);
  await db.execute(sql`create trigger minga_test_unfinished before update on scheduled_jobs for each row when (old.claimed_by is not null) execute function minga_test_unfinished()`);
}

export async function allowJobEnds(db: Db): Promise<void> {
  await db.execute(sql`drop trigger minga_test_unfinished on scheduled_jobs`);
}
