// The scheduler: node-cron ticks claim due jobs from Postgres in batches and run them in a bounded pool; a kick runs the jobs a command just queued.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../../db/connection.js';
import { isDatabaseUnavailable } from '../errors.js';
import { errorMessage, type Logger } from '../log.js';
import { secondsSince, unobserved, type Observer } from '../observe.js';
import { within } from '../within.js';
import {
  CLAIM_LEASE_SECONDS,
  claimDueJobs,
  finishJobs,
  GIVES_UP_ITSELF,
  giveUpJob,
  MAX_ATTEMPTS,
  oldestDueAt,
  pastLastAttempt,
  pruneFinishedJobs,
  releaseJob,
  renewClaims,
  type JobKind,
  type JobRow,
} from './jobs.js';

/** What a handler says when it is done: nothing (finished), or a time to run again. */
export type JobResult = void | { again: Date };
export type JobHandler<K extends JobKind = JobKind> = (job: JobRow<K>) => Promise<JobResult>;

/** A handler for some kinds of job, each given its own kind's payload; the app joins every domain's handlers. */
export type JobHandlers = { [K in JobKind]?: JobHandler<K> };

/** Jobs one instance runs at once by default: enough to keep up with 10,000 due in a minute on platforms answering in tens of ms. */
export const DEFAULT_CONCURRENCY = 32;
/** Rows claimed per statement: few statements for a big backlog, yet no more than the pool can start at once. */
export const DEFAULT_BATCH = 32;
/** How long a command's reply may wait for the jobs it queued (a poll to post); past it, the reply says the work is under way. */
export const DEFAULT_KICK_TIMEOUT_MS = 5_000;
/** How often the claims of running jobs are renewed: a fifth of the lease, so a few missed renewals still leave it standing. */
export const DEFAULT_RENEW_EVERY_MS = (CLAIM_LEASE_SECONDS * 1000) / 5;

export interface SchedulerStats {
  /** Ticks that ran. */
  ticks: number;
  /** Ticks that found the previous one still claiming (its pool full) and were skipped rather than queued. */
  skipped: number;
  /** When the last tick began, run or skipped (on the scheduler's clock): the cron is alive. Unset before the first. */
  lastTickAt?: Date;
}

/** How far behind the scheduled work is, in seconds, for /healthz and /metrics. */
export interface SchedulerLag {
  /** How late the oldest due job that no instance holds is (0 when none is waiting): across every instance on the database. */
  oldestDueSeconds: number;
  /** Since this instance's last tick began (or since it started, before the first); undefined while its cron is not started. */
  sinceTickSeconds?: number;
}

export interface Scheduler {
  start(): void;
  /**
   * Runs one tick now: claims what is due, batch after batch while the pool has room, and resolves when the jobs it started
   * have finished. A tick that finds another still claiming on this instance is skipped (resolves 0): ticks never queue up.
   * Safe across instances: claims keep them apart.
   */
  tick(): Promise<number>;
  /**
   * Runs at once, on this instance, the due jobs with these keys (those a command just queued), beside the pool so they never
   * wait behind a backlog; resolves when they are done, or after the kick timeout, whichever comes first.
   */
  kick(keys: string[]): Promise<void>;
  /**
   * Renews the claims of every job running on this instance now (done on its own every renewEveryMs while any runs), so a
   * job longer than the lease is not taken by another instance. Resolves how many were renewed.
   */
  renew(): Promise<number>;
  /** Ticks until nothing is due (for a clean exit of the console). */
  drain(): Promise<void>;
  stop(): Promise<void>;
  stats(): SchedulerStats;
  /** One query: the oldest waiting due job, and the time since the last tick. */
  lag(): Promise<SchedulerLag>;
}

export function createScheduler(deps: {
  db: Db;
  handlers: JobHandlers;
  log: Logger;
  now?: () => Date;
  /** node-cron expression; every second by default, so coalesced poll edits go out about once a second. */
  every?: string;
  /** Jobs in flight at once from ticks (the pool). */
  concurrency?: number;
  /** At most this many rows per claim statement. */
  batch?: number;
  kickTimeoutMs?: number;
  /** Wall-clock period of the claim renewal while jobs run. */
  renewEveryMs?: number;
  /** Told of every job's kind, outcome and duration (for /metrics). */
  observer?: Observer;
}): Scheduler {
  const observer = deps.observer ?? unobserved;
  const now = deps.now ?? (() => new Date());
  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY);
  const batch = Math.max(1, deps.batch ?? DEFAULT_BATCH);
  const kickTimeoutMs = deps.kickTimeoutMs ?? DEFAULT_KICK_TIMEOUT_MS;
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let task: ScheduledTask | undefined;
  let startedAt: Date | undefined;

  /**
   * Every job this instance is running, by id, from the pool or a kick. Claims leave them out: a job re-armed while it runs
   * (requestJob) or past its lease is not started a second time here.
   */
  const running = new Map<number, { key: string; done: Promise<void> }>();
  /** How many of those the pool holds, and the tick waiting for one of them to end. */
  let pooled = 0;
  let slotFreed: (() => void) | undefined;
  /** The tick now claiming, if any: at most one per instance. */
  let claiming: Promise<number> | undefined;
  const stats: SchedulerStats = { ticks: 0, skipped: 0 };
  /** Whether the last tick found the database out of reach (see tick). */
  let outage = false;

  async function runJob(job: JobRow): Promise<void> {
    const handler = deps.handlers[job.kind] as JobHandler | undefined;
    if (pastLastAttempt(job) && !GIVES_UP_ITSELF.has(job.kind)) {
      // Its earlier claims all lapsed: the process died during the job each time. Running it again could kill this one too.
      deps.log.error({ job: job.id, kind: job.kind, attempts: job.attempts }, 'scheduled job given up: the process died during each of its attempts');
      await giveUpJob(deps.db, job, now());
      observer.job(job.kind, 'given_up', 0);
      return;
    }
    const started = performance.now();
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const result = await handler(job);
      const again = result && 'again' in result;
      if (again) await releaseJob(deps.db, job, result.again);
      else await finish(job);
      observer.job(job.kind, again ? 'again' : 'ok', secondsSince(started));
    } catch (err) {
      // As releaseJob decides: the last attempt is given up.
      observer.job(job.kind, job.attempts >= MAX_ATTEMPTS ? 'given_up' : 'failed', secondsSince(started));
      deps.log.error({ err, job: job.id, kind: job.kind, attempt: job.attempts }, 'scheduled job failed');
      const backoff = Math.min(60_000 * 2 ** job.attempts, 3_600_000);
      // Kept in the jobs table, so as carefully as a log line: no query values, no credentials.
      await releaseJob(deps.db, job, new Date(now().getTime() + backoff), errorMessage(err));
    }
  }

  /**
   * Finished jobs are recorded together: the first to finish is written at once, and those finishing while that statement
   * is out wait for the next one. Under load that is one statement for many jobs instead of one each.
   */
  let finishing = false;
  let toFinish: { job: JobRow; resolve: () => void; reject: (err: unknown) => void }[] = [];
  function finish(job: JobRow): Promise<void> {
    return new Promise((resolve, reject) => {
      toFinish.push({ job, resolve, reject });
      if (!finishing) void flushFinished();
    });
  }
  async function flushFinished(): Promise<void> {
    finishing = true;
    while (toFinish.length > 0) {
      const batch = toFinish;
      toFinish = [];
      try {
        await finishJobs(deps.db, batch.map((entry) => entry.job), now());
        for (const entry of batch) entry.resolve();
      } catch (err) {
        for (const entry of batch) entry.reject(err);
      }
    }
    finishing = false;
  }

  function start(job: JobRow, inPool: boolean): Promise<void> {
    if (inPool) pooled += 1;
    const done = runJob(job)
      // Only the bookkeeping after a failure can land here (the database gone): the lease brings the job back later.
      .catch((err) => deps.log.error({ err, job: job.id, kind: job.kind }, 'could not record the end of a scheduled job'))
      .finally(() => {
        running.delete(job.id);
        if (running.size === 0) stopRenewing();
        if (!inPool) return;
        pooled -= 1;
        slotFreed?.();
        slotFreed = undefined;
      });
    running.set(job.id, { key: job.key, done });
    startRenewing();
    return done;
  }

  /** Renewal runs on a wall-clock timer only while jobs run here: an idle instance sends nothing. */
  const renewEveryMs = deps.renewEveryMs ?? DEFAULT_RENEW_EVERY_MS;
  let renewing: NodeJS.Timeout | undefined;
  async function renew(): Promise<number> {
    const ids = [...running.keys()];
    return (await renewClaims(deps.db, worker, ids, now())).length;
  }
  function startRenewing(): void {
    if (renewing) return;
    renewing = setInterval(() => void renew().catch((err) => deps.log.warn({ err }, 'could not renew the claims of running jobs')), renewEveryMs);
    // Never what keeps the process alive.
    renewing.unref();
  }
  function stopRenewing(): void {
    clearInterval(renewing);
    renewing = undefined;
  }

  let prunedAt = 0;

  /** Claims due jobs as long as there are some and starts each in the pool, waiting for room when it is full. */
  async function claim(): Promise<Promise<void>[]> {
    // Once an hour per instance is plenty; several instances pruning at once is harmless.
    if (now().getTime() - prunedAt > 3_600_000) {
      prunedAt = now().getTime();
      await pruneFinishedJobs(deps.db, now());
    }
    const started: Promise<void>[] = [];
    // Refilled a few slots at a time, not one per finished job: that would add a statement per job when busy.
    const refill = Math.min(batch, Math.ceil(concurrency / 4));
    for (;;) {
      const room = concurrency - pooled;
      if (room < refill) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        continue;
      }
      // Only as many as can start now: claimed rows never wait in memory while their lease runs out.
      const limit = Math.min(batch, room);
      const jobs = await claimDueJobs(deps.db, worker, now(), { limit, except: [...running.keys()] });
      for (const job of jobs) started.push(start(job, true));
      // A short batch: nothing more is due (or other instances have the rest).
      if (jobs.length < limit) return started;
    }
  }

  async function tick(): Promise<number> {
    stats.lastTickAt = now();
    if (claiming) {
      stats.skipped += 1;
      return 0;
    }
    stats.ticks += 1;
    const claimed = claim();
    claiming = claimed.then(
      (started) => started.length,
      () => 0,
    );
    let started: Promise<void>[];
    try {
      // The next tick may claim as soon as this one stops claiming, while the jobs it started still run: a slow job holds
      // its own slot, never the scheduler.
      started = await claimed.finally(() => (claiming = undefined));
    } catch (err) {
      // The database out of reach (a restart) fails every tick until it is back: said once when it starts and once when
      // it ends, not every second. Nothing is lost meanwhile: due jobs stay due, and the first tick after claims them.
      if (isDatabaseUnavailable(err)) {
        if (!outage) deps.log.warn({ err: errorMessage(err) }, 'scheduler paused: database unavailable');
        outage = true;
      } else {
        deps.log.error({ err }, 'scheduler tick failed');
      }
      throw err;
    }
    if (outage) {
      outage = false;
      deps.log.info('scheduler resumed: database reachable again');
    }
    await Promise.all(started);
    return started.length;
  }

  async function kick(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const jobs = await claimDueJobs(deps.db, worker, now(), { limit: keys.length, keys, except: [...running.keys()] });
    for (const job of jobs) start(job, false);
    // A tick of this instance may have claimed one of them first: it is waited for just the same.
    const waits = [...running.values()].filter((entry) => keys.includes(entry.key)).map((entry) => entry.done);
    await within(Promise.all(waits), kickTimeoutMs);
  }

  /** Until no tick claims and no job runs on this instance. */
  async function idle(): Promise<void> {
    while (claiming || running.size > 0) {
      await claiming;
      await Promise.all([...running.values()].map((entry) => entry.done));
    }
  }

  return {
    start() {
      // A missed or skipped tick is harmless (the next one claims everything due), so node-cron need not warn about it.
      startedAt = now();
      // A failed tick was logged in tick(); the rejection stops here, so node-cron keeps its schedule whatever happens.
      task = cron.schedule(deps.every ?? '* * * * * *', () => void tick().catch(() => {}), { suppressMissedWarning: true });
    },
    tick,
    kick,
    renew,
    async drain() {
      await idle();
      for (let i = 0; i < 50 && (await tick()) > 0; i++);
    },
    async stop() {
      await task?.stop();
      await idle();
    },
    stats: () => ({ ...stats }),
    async lag() {
      const at = now();
      const due = await oldestDueAt(deps.db, at);
      return {
        oldestDueSeconds: due ? Math.max(0, (at.getTime() - due.getTime()) / 1000) : 0,
        ...(startedAt && { sinceTickSeconds: (at.getTime() - (stats.lastTickAt ?? startedAt).getTime()) / 1000 }),
      };
    },
  };
}
