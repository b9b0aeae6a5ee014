// What the core, the scheduler and the adapters report as they work (commands, jobs, platform calls), so an operator can count them; the counting itself lives outside the core.
import type { Platform } from './identity.js';

/** A command ended in an answer (ok), in a mistake of the person's (user_error), or in a failure of Minga's (internal_error). */
export type CommandOutcome = 'ok' | 'user_error' | 'internal_error';
/** A scheduled job finished (ok), asked to run again later (again), failed and will be retried (failed), or failed for the last time (given_up). */
export type JobOutcome = 'ok' | 'again' | 'failed' | 'given_up';
/** One request to a platform's API: answered (ok), refused for going too fast (rate_limited, HTTP 429), or failed otherwise. */
export type PlatformCallOutcome = 'ok' | 'rate_limited' | 'failed';

/**
 * Hooks called as work ends. Plain callbacks rather than a metrics library, so the core stays free of one: the metrics
 * adapter (adapters/metrics.ts) turns them into Prometheus counters and histograms. Each must be cheap and never throw.
 */
export interface Observer {
  /** `kind` is the command's kind (task.add, poll.vote…), or text / form when it failed before it was read. */
  command(kind: string, outcome: CommandOutcome, seconds: number): void;
  job(kind: string, outcome: JobOutcome, seconds: number): void;
  platformCall(platform: Platform, outcome: PlatformCallOutcome): void;
}

/** Counts nothing: what runs when no one observes (tests, benchmarks). */
export const unobserved: Observer = {
  command() {},
  job() {},
  platformCall() {},
};

/** Seconds since `start` (a performance.now() reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
