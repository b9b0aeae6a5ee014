// Scheduled work in Postgres: queue by unique key, claim due jobs with FOR UPDATE SKIP LOCKED, finish or retry — so several instances never act twice and a restart drops nothing.
import { and, eq, inArray, isNull, lt, notInArray, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { scheduledJobs } from '../../db/schema.js';
import type { Locale } from '../i18n/index.js';

/** Every kind of scheduled work, with what its job carries. A new kind is added here, and its handler where its domain is. */
export interface JobPayloads {
  /** `conversation`: a copy for another workspace's home channel (`poll … --everywhere`); absent, the poll's own channel. */
  'poll.post': { pollId: number; conversation?: string };
  'poll.refresh': { pollId: number };
  'poll.close': { pollId: number };
  'poll.announce': { pollId: number };
  'poll.closingSoon': { pollId: number };
  'poll.remind': { pollId: number };
  /** One occurrence of a reminder: `due` is the instant it was due, as ISO text. */
  'reminder.send': { reminderId: number; due: string };
  /** One occurrence of a channel's weekly digest: `due` is the instant it was due, as ISO text. */
  'digest.send': { subscriptionId: number; due: string };
  /** `digest now`: the digest posted at once in `conversation`, in `locale`, asked for by the member `requestedBy`. */
  'digest.post': { conversation: string; locale: Locale; requestedBy: number };
}

export type JobKind = keyof JobPayloads;

/** A job as stored, its kind and payload typed together. */
export type JobRow<K extends JobKind = JobKind> = K extends JobKind
  ? Omit<typeof scheduledJobs.$inferSelect, 'kind' | 'payload'> & { kind: K; payload: JobPayloads[K] }
  : never;

export interface NewJob<K extends JobKind = JobKind> {
  allianceId: number;
  kind: K;
  /** Unique for the piece of work: queuing the same key twice keeps one job. */
  key: string;
  runAt: Date;
  payload: JobPayloads[K];
}

/**
 * A claim older than this is taken as abandoned (its instance died) and the job runs again. An instance renews the claims
 * of the jobs it is running (renewClaims) well within it, so a job that runs longer is never taken while it runs.
 */
export const CLAIM_LEASE_SECONDS = 300;
/**
 * Claims one run of a job may take: failures released with an error, and claims that lapsed because the process died
 * during the job (counted too: attempts grow at claim time). Past it the job is given up.
 */
export const MAX_ATTEMPTS = 5;

/**
 * Kinds whose handler gives itself up when called past MAX_ATTEMPTS (job.attempts > MAX_ATTEMPTS): it must not call the
 * platform then, only move its series on (a recurring reminder's or digest's next occurrence). The scheduler gives up every
 * other kind itself, without calling its handler.
 */
export const GIVES_UP_ITSELF: ReadonlySet<JobKind> = new Set<JobKind>(['reminder.send', 'digest.send']);

/** Whether a claimed job's earlier claims all ended without an answer (its process died each time): give it up, do not run it. */
export const pastLastAttempt = (job: Pick<JobRow, 'attempts'>): boolean => job.attempts > MAX_ATTEMPTS;

/** Queues a job once; if the key exists and is not done, its time is moved to the new one. */
export async function scheduleJob<K extends JobKind>(tx: Db, job: NewJob<K>): Promise<void> {
  await tx
    .insert(scheduledJobs)
    .values(job)
    .onConflictDoUpdate({
      target: scheduledJobs.key,
      set: { runAt: job.runAt, payload: job.payload },
      setWhere: isNull(scheduledJobs.doneAt),
    });
}

/**
 * Makes sure a job for `key` will run, at most once per `spacingMs` after its last run: nothing to do when one is already
 * waiting (the burst coalesces into it), else the finished job is armed again.
 */
export async function requestJob<K extends JobKind>(tx: Db, job: NewJob<K>, spacingMs: number): Promise<void> {
  await tx.execute(
    requestJobSql({ allianceId: job.allianceId, kind: job.kind, key: job.key, runAt: job.runAt.toISOString(), payload: JSON.stringify(job.payload) }, spacingMs),
  );
}

/**
 * requestJob's statement, to run alone or as part of a larger one (a ballot's, which asks for its poll's refresh in the same
 * statement). Values are given as they go to the server, or as placeholders of a prepared statement: the time as ISO text,
 * the payload as JSON text. `onlyIf`, a condition, makes the request conditional (on the ballot having changed).
 */
export function requestJobSql(
  job: { allianceId: number | Placeholder; kind: JobKind; key: string | Placeholder; runAt: string | Placeholder; payload: string | Placeholder },
  spacingMs: number,
  onlyIf: SQL = sql`true`,
): SQL {
  // One statement, as it runs on every ballot: the check comes first so that a burst finding the job waiting inserts
  // nothing and so locks nothing (a conflicting insert would lock the row even if it then updated nothing, and every
  // ballot of the burst would queue behind the one before it).
  const spacing = sql.raw(`interval '${Math.round(spacingMs)} milliseconds'`);
  return sql`
    insert into ${scheduledJobs} (alliance_id, kind, key, run_at, payload)
    select ${job.allianceId}, ${job.kind}, ${job.key}, ${job.runAt}::timestamptz, ${job.payload}::jsonb
    where ${onlyIf} and not exists (select 1 from ${scheduledJobs} where key = ${job.key} and done_at is null and claimed_at is null)
    on conflict (key) do update set
      run_at = greatest(excluded.run_at, coalesce(${scheduledJobs}.done_at, ${scheduledJobs}.claimed_at, excluded.run_at) + ${spacing}),
      done_at = null, claimed_by = null, claimed_at = null, attempts = 0, last_error = null
    where ${scheduledJobs}.done_at is not null or ${scheduledJobs}.claimed_at is not null`;
}

export interface ClaimOptions {
  /** At most this many rows (one statement). */
  limit?: number;
  /** Only jobs with these keys (what a command just queued). */
  keys?: string[];
  /** Never these job ids: the ones this instance is running now, even if re-armed or past their lease. */
  except?: number[];
}

/**
 * Claims up to `limit` due jobs for this worker in one statement; other instances skip the rows locked here and never get
 * the same job. A claim older than CLAIM_LEASE_SECONDS counts as abandoned.
 */
/** Jobs due by `now` that nobody holds: never claimed, released, or claimed by an instance whose lease has lapsed. */
function dueAndUnheld(now: Date) {
  return and(
    isNull(scheduledJobs.doneAt),
    sql`${scheduledJobs.runAt} <= ${now.toISOString()}`,
    sql`(${scheduledJobs.claimedAt} is null or ${scheduledJobs.claimedAt} < ${now.toISOString()}::timestamptz - interval '${sql.raw(String(CLAIM_LEASE_SECONDS))} seconds')`,
  );
}

export async function claimDueJobs(db: Db, worker: string, now: Date, options: ClaimOptions = {}): Promise<JobRow[]> {
  const { limit = 20, keys, except = [] } = options;
  const due = db
    .select({ id: scheduledJobs.id })
    .from(scheduledJobs)
    .where(
      and(
        dueAndUnheld(now),
        keys && inArray(scheduledJobs.key, keys),
        except.length > 0 ? notInArray(scheduledJobs.id, except) : undefined,
      ),
    )
    .orderBy(scheduledJobs.runAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(scheduledJobs)
    .set({ claimedBy: worker, claimedAt: now, attempts: sql`${scheduledJobs.attempts} + 1` })
    .where(sql`${scheduledJobs.id} in ${due}`)
    .returning() as Promise<JobRow[]>;
}

/**
 * Moves the claims this worker holds on these jobs forward to `now`, so they do not lapse while the jobs run. Only claims
 * still its own: one re-armed (requestJob) or taken over meanwhile is left alone. The ids renewed.
 */
export async function renewClaims(db: Db, worker: string, ids: number[], now: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const renewed = await db
    .update(scheduledJobs)
    .set({ claimedAt: now })
    .where(and(inArray(scheduledJobs.id, ids), eq(scheduledJobs.claimedBy, worker), isNull(scheduledJobs.doneAt)))
    .returning({ id: scheduledJobs.id });
  return renewed.map((row) => row.id);
}

/**
 * Whether the row still holds this claim of the job. A claim is told by its worker and its attempt number, not by
 * claimed_at, which renewClaims moves: while a worker runs a job no claim of its own can follow (it never claims what it
 * runs), and a re-arm or a takeover changes the worker.
 */
const holdsClaim = (job: JobRow) =>
  and(eq(scheduledJobs.id, job.id), eq(scheduledJobs.claimedBy, job.claimedBy!), eq(scheduledJobs.attempts, job.attempts));

/**
 * When the oldest due job that nobody holds was due (undefined when none waits): how far behind every instance together
 * is. A job claimed by an instance that died counts again once its lease has lapsed, as claimDueJobs would take it.
 */
export async function oldestDueAt(db: Db, now: Date): Promise<Date | undefined> {
  const [row] = await db
    .select({ runAt: sql<string | Date | null>`min(${scheduledJobs.runAt})` })
    .from(scheduledJobs)
    .where(dueAndUnheld(now));
  return row?.runAt ? new Date(row.runAt) : undefined;
}

/** Marks a claimed job done, unless it was armed again while running (then it stays waiting). */
export async function finishJob(db: Db, job: JobRow, now: Date): Promise<void> {
  await db.update(scheduledJobs).set({ doneAt: now }).where(holdsClaim(job));
}

/** Marks several claimed jobs done in one statement, each unless it was armed again while running. */
export async function finishJobs(db: Db, jobs: JobRow[], now: Date): Promise<void> {
  if (jobs.length === 0) return;
  const claims = sql.join(
    jobs.map((job) => sql`(${job.id}::integer, ${job.claimedBy}::text, ${job.attempts}::integer)`),
    sql`, `,
  );
  // The claim matched as holdsClaim matches it.
  await db.execute(sql`
    update ${scheduledJobs} set done_at = ${now.toISOString()}::timestamptz
    from (values ${claims}) as finished (id, claimed_by, attempts)
    where ${scheduledJobs.id} = finished.id and ${scheduledJobs.claimedBy} = finished.claimed_by and ${scheduledJobs.attempts} = finished.attempts`);
}

/**
 * Releases a claimed job to run again at `runAt`. With an error it was a failure: after MAX_ATTEMPTS it is finished with
 * its last error kept. Without one the run ended well and asked to run again (a refresh that saw a new ballot): that starts
 * a new run, whose attempts count from zero.
 */
export async function releaseJob(db: Db, job: JobRow, runAt: Date, error?: string): Promise<void> {
  const giveUp = error !== undefined && job.attempts >= MAX_ATTEMPTS;
  await db
    .update(scheduledJobs)
    .set({ claimedBy: null, claimedAt: null, runAt, lastError: error ?? null, ...(error === undefined && { attempts: 0 }), ...(giveUp && { doneAt: runAt }) })
    .where(holdsClaim(job));
}

/** Gives up a job claimed past its last attempt (pastLastAttempt), without running it: done, with why kept as its error. */
export async function giveUpJob(db: Db, job: JobRow, now: Date): Promise<void> {
  const why = `given up: claimed ${job.attempts - 1} times without an end (the process died during the job each time)`;
  await db.update(scheduledJobs).set({ claimedBy: null, claimedAt: null, doneAt: now, lastError: why }).where(holdsClaim(job));
}

/** Drops the job under `key` if it is still waiting (marks it done); one running now is left to finish, and may re-arm itself. */
export async function dropWaitingJob(tx: Db, key: string, now: Date): Promise<void> {
  await tx
    .update(scheduledJobs)
    .set({ doneAt: now })
    .where(and(eq(scheduledJobs.key, key), isNull(scheduledJobs.doneAt), isNull(scheduledJobs.claimedAt)));
}

/** Whether the job under `key` has failed at least once (and so waits for a retry, or was given up). */
export async function jobFailed(db: Db, key: string): Promise<boolean> {
  const [row] = await db.select({ lastError: scheduledJobs.lastError }).from(scheduledJobs).where(eq(scheduledJobs.key, key));
  return row?.lastError != null;
}

/** Finished jobs are kept a while for inspection, then removed so the table stays small. */
export const KEEP_FINISHED_DAYS = 30;

export async function pruneFinishedJobs(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - KEEP_FINISHED_DAYS * 86_400_000);
  const removed = await db.delete(scheduledJobs).where(lt(scheduledJobs.doneAt, before)).returning({ id: scheduledJobs.id });
  return removed.length;
}
