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

/** Prints figures as a table, each with its p50 ratio to the baseline measured in the same run. */
export function report(title: string, baseline: Figures, others: Figures[]): void {
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
