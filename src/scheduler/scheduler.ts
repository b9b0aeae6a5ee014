// The scheduler: node-cron ticks claim due jobs from Postgres and run each with its handler; a kick runs a tick at once after a command queued work.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../../db/connection.js';
import { errorMessage, type Logger } from '../log.js';
import { claimDueJobs, finishJob, pruneFinishedJobs, releaseJob, type JobKind, type JobRow } from './jobs.js';

/** What a handler says when it is done: nothing (finished), or a time to run again. */
export type JobResult = void | { again: Date };
export type JobHandler<K extends JobKind = JobKind> = (job: JobRow<K>) => Promise<JobResult>;

/** A handler for some kinds of job, each given its own kind's payload; the app joins every domain's handlers. */
export type JobHandlers = { [K in JobKind]?: JobHandler<K> };

export interface Scheduler {
  start(): void;
  /** Runs one tick now: claims what is due and runs it. Safe to call from several places and instances at once. */
  tick(): Promise<number>;
  /** Ticks until nothing is due (for a clean exit of the console). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function createScheduler(deps: {
  db: Db;
  handlers: JobHandlers;
  log: Logger;
  now?: () => Date;
  /** node-cron expression; every second by default, so coalesced poll edits go out about once a second. */
  every?: string;
}): Scheduler {
  const now = deps.now ?? (() => new Date());
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let task: ScheduledTask | undefined;
  let running = Promise.resolve();

  async function runJob(job: JobRow): Promise<void> {
    const handler = deps.handlers[job.kind] as JobHandler | undefined;
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const result = await handler(job);
      if (result && 'again' in result) await releaseJob(deps.db, job, result.again);
      else await finishJob(deps.db, job, now());
    } catch (err) {
      deps.log.error({ err, job: job.id, kind: job.kind, attempt: job.attempts }, 'scheduled job failed');
      const backoff = Math.min(60_000 * 2 ** job.attempts, 3_600_000);
      // Kept in the jobs table, so as carefully as a log line: no query values, no credentials.
      await releaseJob(deps.db, job, new Date(now().getTime() + backoff), errorMessage(err));
    }
  }

  let prunedAt = 0;

  async function tick(): Promise<number> {
    // Once an hour per instance is plenty; several instances pruning at once is harmless.
    if (now().getTime() - prunedAt > 3_600_000) {
      prunedAt = now().getTime();
      await pruneFinishedJobs(deps.db, now());
    }
    const jobs = await claimDueJobs(deps.db, worker, now());
    for (const job of jobs) await runJob(job);
    return jobs.length;
  }

  /** Ticks never overlap within one process; across processes the claims keep them apart. */
  function serialized(): Promise<number> {
    const result = running.then(tick);
    running = result.then(
      () => undefined,
      (err) => deps.log.error({ err }, 'scheduler tick failed'),
    );
    return result;
  }

  return {
    start() {
      // A missed tick is harmless (the next one claims everything due), so node-cron need not warn about it.
      task = cron.schedule(deps.every ?? '* * * * * *', () => void serialized().catch(() => {}), { suppressMissedWarning: true });
    },
    tick: serialized,
    async drain() {
      for (let i = 0; i < 50 && (await serialized()) > 0; i++);
    },
    async stop() {
      await task?.stop();
      await running;
    },
  };
}
