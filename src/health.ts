// Is this instance healthy: its database answers, each adapter is connected to its platform, and the scheduled work keeps up. The report /healthz serves.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import type { Adapter } from './adapter.js';
import type { Scheduler } from './scheduler/scheduler.js';
import { within } from './within.js';

/** A `select 1` slower than this counts as unreachable: a health check must answer before the prober gives up. */
export const DATABASE_TIMEOUT_MS = 2_000;
/** Ticks run every second; none for this long means the scheduler has stopped (or the event loop is stuck). */
export const TICK_STALE_SECONDS = 30;
/** A due job that no instance has taken for this long (the claim lease) means the instances together are not keeping up. */
export const JOB_LATE_SECONDS = 300;

type Failure = 'timeout' | 'failed';

export interface HealthReport {
  ok: boolean;
  /** `error` is only `timeout` or `failed`: the report may be public (Slack's port), so it never carries a host or a message. */
  database: { ok: boolean; error?: Failure };
  adapters: { platform: string; ok: boolean; state: string }[];
  scheduler: { ok: boolean; oldestDueSeconds?: number; sinceTickSeconds?: number; error?: Failure };
}

export interface HealthSources {
  db: Db;
  /** The adapters running now. */
  adapters: () => Adapter[];
  scheduler: Pick<Scheduler, 'lag'>;
}

export async function checkHealth(sources: HealthSources, timeoutMs = DATABASE_TIMEOUT_MS): Promise<HealthReport> {
  const [database, scheduler] = await Promise.all([
    withTimeout(sources.db.execute(sql`select 1`), timeoutMs).then(
      () => ({ ok: true }),
      (err: unknown) => ({ ok: false, error: failure(err) }),
    ),
    withTimeout(sources.scheduler.lag(), timeoutMs).then(
      (lag) => ({ ok: lag.oldestDueSeconds <= JOB_LATE_SECONDS && (lag.sinceTickSeconds ?? 0) <= TICK_STALE_SECONDS, ...lag }),
      (err: unknown) => ({ ok: false, error: failure(err) }),
    ),
  ]);
  const adapters = sources.adapters().map((adapter) => ({ platform: adapter.platform, ...(adapter.health?.() ?? { ok: true, state: 'running' }) }));
  return { ok: database.ok && scheduler.ok && adapters.every((adapter) => adapter.ok), database, adapters, scheduler };
}

class Timeout extends Error {}

function failure(err: unknown): Failure {
  return err instanceof Timeout ? 'timeout' : 'failed';
}

/** `work`'s value, or a Timeout once `ms` is up (the one timeout race, within(); boxed, as a value may be undefined). */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  const settled = await within(work.then((value) => ({ value })), ms);
  if (!settled) throw new Timeout();
  return settled.value;
}
