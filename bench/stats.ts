// Measurement helpers for benchmarks: time a batch of operations at a given concurrency, summarize, and print beside a baseline.
import { performance } from 'node:perf_hooks';

export interface Figures {
  name: string;
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `operation` for each of `count` with at most `concurrency` in flight; each one's latency in ms, and the seconds in all. */
export async function timed(count: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await operation(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** Runs `operation` `count` times with at most `concurrency` in flight; returns latency percentiles in ms and throughput. */
export async function measure(name: string, count: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<Figures> {
  const { latencies, seconds } = await timed(count, concurrency, operation);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { name, count, perSecond: count / seconds, p50: at(0.5), p99: at(0.99) };
}

/** A case measured beside others: its name and one operation, given its index. */
export interface Case {
  name: string;
  run: (i: number) => Promise<unknown>;
}

/**
 * Runs each case `count` times at `concurrency`, in `rounds` turns taken in alternation (A, B, A, B, …), and sums up each
 * case over all its turns. On a machine whose speed drifts (a shared virtual machine: the same batch ran 10.7 and then
 * 13.6 ms p50 minutes apart), one batch after the other puts the drift between a figure and its floor; alternating lets
 * it weigh on both alike.
 */
export async function measureAlternating(cases: Case[], count: number, concurrency: number, rounds = 4): Promise<Figures[]> {
  const latencies = cases.map(() => [] as number[]);
  const seconds = cases.map(() => 0);
  const perRound = Math.ceil(count / rounds);
  for (let round = 0; round < rounds; round += 1) {
    for (const [c, { run }] of cases.entries()) {
      const offset = round * perRound;
      const turn = await timed(Math.min(perRound, count - offset), concurrency, (i) => run(offset + i));
      latencies[c]!.push(...turn.latencies);
      seconds[c]! += turn.seconds;
    }
  }
  return cases.map(({ name }, c) => summarize(name, latencies[c]!, seconds[c]!));
}

/** One line of bench/results.md: a scenario's figure beside its floor, measured in the same run. */
export interface ResultRow {
  benchmark: string;
  scenario: string;
  figure: string;
  floor: string;
  ratio: string;
}

/** Every result of this run, in order, for bench/results.md (see run.ts). */
export const results: ResultRow[] = [];

export function recordResult(row: ResultRow): void {
  results.push(row);
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/** Prints figures as a table, each with its p50 ratio to the baseline measured in the same run, and records them. */
export function report(title: string, baseline: Figures, others: Figures[]): void {
  for (const f of others) {
    recordResult({
      benchmark: title,
      scenario: f.name,
      figure: `p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, ${f.perSecond.toFixed(0)}/s`,
      floor: `${baseline.name}: p50 ${ms(baseline.p50)}`,
      ratio: `${(f.p50 / baseline.p50).toFixed(1)}×`,
    });
  }
  console.log(`\n${title}`);
  const rows = [baseline, ...others].map((f) => ({
    case: f.name,
    n: f.count,
    'ops/s': f.perSecond.toFixed(0),
    'p50 ms': f.p50.toFixed(2),
    'p99 ms': f.p99.toFixed(2),
    'p50 vs baseline': f === baseline ? 'baseline' : `${(f.p50 / baseline.p50).toFixed(1)}x`,
  }));
  console.table(rows);
}

/** Figures from latencies (ms) collected some other way, e.g. several moments of one request measured together. */
export function summarize(name: string, latencies: number[], seconds: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { name, count: sorted.length, perSecond: sorted.length / seconds, p50: at(0.5), p99: at(0.99) };
}
