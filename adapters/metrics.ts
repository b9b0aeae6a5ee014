// Minga's Prometheus metrics with prom-client: the Observer the core, the scheduler and the adapters report to, turned into counters, histograms and gauges on a registry of its own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Observer } from '../src/observe.js';
import type { SchedulerLag } from '../src/scheduler/scheduler.js';
import { within } from '../src/within.js';

export interface Metrics {
  registry: Registry;
  observer: Observer;
  /** The scheduler lag is read when Prometheus scrapes (one query), not kept up to date between scrapes. */
  readLagFrom(lag: () => Promise<SchedulerLag>): void;
}

/** From a quick answer in the ack to one that waited on a platform: the figures issue 11 cares about are 2 ms to 2 s. */
const SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Beyond this a scrape reports the lag as unknown (NaN) rather than hang on an unreachable database. */
const LAG_TIMEOUT_MS = 2_000;

/** A registry of its own (not prom-client's global one), so several apps in one process (tests) never share a counter. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  // Process memory, CPU, event loop lag, handles: prom-client's standard set, named as every Node dashboard expects.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const commands = new Counter({ name: 'minga_commands_total', help: 'Commands handled, by kind and outcome (ok, user_error, internal_error)', labelNames: ['kind', 'outcome'] as const, registers });
  const commandSeconds = new Histogram({ name: 'minga_command_duration_seconds', help: 'Time from a command reaching the core to its answer, by kind', labelNames: ['kind'] as const, buckets: SECONDS, registers });
  const jobs = new Counter({ name: 'minga_jobs_total', help: 'Scheduled jobs run, by kind and outcome (ok, again, failed, given_up)', labelNames: ['kind', 'outcome'] as const, registers });
  const jobSeconds = new Histogram({ name: 'minga_job_duration_seconds', help: 'Time a scheduled job ran, by kind', labelNames: ['kind'] as const, buckets: SECONDS, registers });
  const calls = new Counter({ name: 'minga_platform_calls_total', help: 'Requests to a platform API, by platform and outcome (ok, rate_limited: HTTP 429, failed)', labelNames: ['platform', 'outcome'] as const, registers });
  let lag: (() => Promise<SchedulerLag>) | undefined;
  const readLag = async (): Promise<Partial<SchedulerLag>> => {
    if (!lag) return {};
    try {
      return (await within(lag(), LAG_TIMEOUT_MS)) ?? {};
    } catch {
      return {};
    }
  };
  new Gauge({
    name: 'minga_scheduler_lag_seconds',
    help: "How far behind the scheduler is: oldest_due, how late the oldest due job no instance holds is (0: none waits); since_tick, since this instance last ticked (every second). NaN: unknown (the database did not answer)",
    labelNames: ['measure'] as const,
    registers,
    async collect() {
      const read = await readLag();
      this.set({ measure: 'oldest_due' }, read.oldestDueSeconds ?? Number.NaN);
      this.set({ measure: 'since_tick' }, read.sinceTickSeconds ?? Number.NaN);
    },
  });
  return {
    registry,
    observer: {
      command(kind, outcome, seconds) {
        commands.inc({ kind, outcome });
        commandSeconds.observe({ kind }, seconds);
      },
      job(kind, outcome, seconds) {
        jobs.inc({ kind, outcome });
        jobSeconds.observe({ kind }, seconds);
      },
      platformCall(platform, outcome) {
        calls.inc({ platform, outcome });
      },
    },
    readLagFrom(read) {
      lag = read;
    },
  };
}
