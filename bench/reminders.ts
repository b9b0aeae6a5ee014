// Benchmark: 10,000 reminders to distinct members due within a minute, delivered by two scheduler instances (two processes) through a fake platform answering in 20 ms; lateness, throughput, duplicates and misses beside a bare loop of the same calls.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { alliances, deliveries, members, reminders, workspaces } from '../db/schema.js';
import { scheduleNextOccurrence, type ReminderRow } from '../src/reminders.js';
import { DEFAULT_BATCH, DEFAULT_CONCURRENCY } from '../src/scheduler/scheduler.js';
import type { WorkerCommand, WorkerReport } from './reminders-worker.js';
import { startFakePlatform } from './fake-platform.js';
import { recordResult, summarize, type Figures } from './stats.js';

/** How the fake platform answers: each call after this long, as a platform API on a good day. */
const PLATFORM_MS = 20;
const INSTANCES = 2;
/** Connections per instance, as Minga opens by default. */
const POOL = 10;
/** The first reminder is due this long after the last one is queued (estimated; the setup prints how it went). */
const LEAD_MS = 5_000;
/** A generous estimate of queuing one reminder, so the lead holds on a loaded machine. */
const QUEUE_MS_EACH = 2;

interface Options {
  count: number;
  spreadMs: number;
  concurrency: number;
  /** The scheduler alone: each job makes its platform call and nothing else, to tell its cost from the handler's. */
  bare: boolean;
}

/**
 * `-- reminders [--quick] [--burst] [--concurrency=N] [--bare]`: 1,000 over 10 s for development; all due at one instant;
 * another pool size; jobs that only make the platform call (no handler), to see the scheduler's own cost.
 */
function options(): Options {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const given = args.find((arg) => arg.startsWith('--concurrency='));
  return {
    count: quick ? 1_000 : 10_000,
    spreadMs: args.includes('--burst') ? 0 : quick ? 10_000 : 60_000,
    concurrency: given ? Number(given.split('=')[1]) : DEFAULT_CONCURRENCY,
    bare: args.includes('--bare'),
  };
}

export async function benchReminders(database: Database, label: string, url?: string): Promise<void> {
  if (database.kind !== 'postgres' || !url) {
    console.log(`\nreminders on ${label}: skipped (two instances in two processes need the real server)`);
    return;
  }
  const { count: n, spreadMs, concurrency, bare } = options();
  const platform = await startFakePlatform(PLATFORM_MS, '/dm', (body) => String(body.userId));
  const children: ChildProcess[] = [];
  try {
    console.log(`\nreminders on ${label}: ${n} to distinct members, due over ${spreadMs / 1000} s, ${INSTANCES} instances (processes) × ${concurrency} jobs, platform answering in ${PLATFORM_MS} ms${bare ? ', bare jobs (no handler)' : ''}`);
    // The instances start first (a process takes seconds to load), ticking on an empty queue meanwhile, as in production.
    const instances = Array.from({ length: INSTANCES }, () => worker(children));
    await Promise.all(instances.map((instance) => instance.ask({ kind: 'schedule', url, platform: platform.url, concurrency, batch: DEFAULT_BATCH, pool: POOL, bare }, 'ready')));
    const { dueOf, base } = await createReminders(database, n, spreadMs, bare);
    console.log(`setup done; the first is due in ${((base - Date.now()) / 1000).toFixed(1)} s`);
    const deadline = base + spreadMs + 120_000;
    while (platform.reached(dueOf.keys()) < n && Date.now() < deadline) await sleep(200);
    // A duplicate would come after the first delivery: give it a moment to show.
    await sleep(2_000);
    const stats = await Promise.all(instances.map((instance) => instance.ask({ kind: 'stop' }, 'stopped')));

    const calls = new Map(platform.accepted);
    const lateness: number[] = [];
    let duplicates = 0;
    let misses = 0;
    let last = 0;
    for (const [userId, due] of dueOf) {
      const times = calls.get(userId) ?? [];
      calls.delete(userId);
      if (times.length === 0) misses += 1;
      else lateness.push(Math.min(...times) - due);
      duplicates += Math.max(0, times.length - 1);
      last = Math.max(last, ...times);
    }
    // Calls for anyone not expected would be duplicates of a kind too.
    for (const times of calls.values()) duplicates += times.length;
    const first = Math.min(...dueOf.values());
    // Whether it kept up: the lateness of the reminders due at each tenth of the window.
    const inOrder = [...dueOf.entries()].sort((a, b) => a[1] - b[1]);
    const tenths = Array.from({ length: 10 }, (_, d) => {
      const [userId, due] = inOrder[Math.floor((d * inOrder.length) / 10)]!;
      const at = platform.accepted.get(userId)?.[0];
      return at === undefined ? 'missed' : ((at - due) / 1000).toFixed(1);
    });
    const delivered = summarize('scheduler: lateness (delivered − due)', lateness, Math.max(0.001, (last - first) / 1000));
    const [stored] = await database.db.select({ rows: count() }).from(deliveries);
    const [waiting] = await database.db.select({ rows: count() }).from(reminders).where(eq(reminders.status, 'active'));

    const floor = await measureFloor(children, platform.url, n, concurrency);
    print(floor, delivered, tenths, { duplicates, misses, stored: stored!.rows, waiting: waiting!.rows, spreadMs, n, stats });
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await platform.close();
  }
}

/** An alliance with `n` members on one Slack workspace, and a one-off reminder for each, queued as Minga queues them. */
async function createReminders(database: Database, n: number, spreadMs: number, bare: boolean) {
  const { db } = database;
  const [alliance] = await db.insert(alliances).values({ name: 'bench-reminders' }).returning();
  const allianceId = alliance!.id;
  const [workspace] = await db.insert(workspaces).values({ allianceId, platform: 'slack', externalId: `TBENCH${process.pid}` }).returning();
  const people: { id: number; platformUserId: string }[] = [];
  for (let from = 0; from < n; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - from) }, (_, i) => ({ allianceId, workspaceId: workspace!.id, platformUserId: `U${from + i}` }));
    people.push(...(await db.insert(members).values(rows).returning({ id: members.id, platformUserId: members.platformUserId })));
  }
  const base = Date.now() + LEAD_MS + n * QUEUE_MS_EACH;
  const dueOf = new Map<string, number>();
  const created: ReminderRow[] = [];
  for (let from = 0; from < n; from += 1000) {
    const rows = people.slice(from, from + 1000).map((person, i) => {
      const due = base + Math.floor((spreadMs * (from + i)) / n);
      return { allianceId, number: from + i + 1, targetKind: 'member', targetMemberId: person.id, text: `Reminder ${from + i + 1}`, nextAt: new Date(due), timeZone: 'UTC' };
    });
    created.push(...(await db.insert(reminders).values(rows).returning()));
  }
  // Whom the platform hears from for each reminder: its member, or in bare jobs the reminder's id (see the worker).
  const userOf = new Map(people.map((person) => [person.id, person.platformUserId]));
  for (const reminder of created) dueOf.set(bare ? `R${reminder.id}` : userOf.get(reminder.targetMemberId!)!, reminder.nextAt!.getTime());
  // In due order, several transactions at once: what falls due first is queued first.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < created.length) {
        const chunk = created.slice(next, (next += 250));
        await db.transaction(async (tx) => {
          for (const reminder of chunk) await scheduleNextOccurrence(tx, reminder);
        });
      }
    }),
  );
  return { dueOf, base };
}


/** A child process running bench/reminders-worker.ts, asked one thing at a time. */
function worker(children: ChildProcess[]) {
  const child = fork(fileURLToPath(new URL('./reminders-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  children.push(child);
  return {
    ask<K extends WorkerReport['kind']>(command: WorkerCommand, expect: K): Promise<Extract<WorkerReport, { kind: K }>> {
      return new Promise((resolve, reject) => {
        const onMessage = (report: WorkerReport) => {
          if (report.kind === 'failed') reject(new Error(`worker failed: ${report.message}`));
          else if (report.kind === expect) resolve(report as Extract<WorkerReport, { kind: K }>);
          else return;
          child.off('message', onMessage);
        };
        child.on('message', onMessage);
        child.send(command);
      });
    },
  };
}

/** The floor: each of the processes makes its share of the same calls at the instances' concurrency, and nothing else. */
async function measureFloor(children: ChildProcess[], platform: string, n: number, concurrency: number): Promise<Figures> {
  const loops = Array.from({ length: INSTANCES }, () => worker(children));
  const results = await Promise.all(loops.map((loop) => loop.ask({ kind: 'floor', platform, count: n / INSTANCES, concurrency }, 'floor')));
  await Promise.all(loops.map((loop) => loop.ask({ kind: 'stop' }, 'stopped')));
  const seconds = Math.max(...results.map((result) => result.seconds));
  return summarize(`floor: bare loop of ${n} calls, ${INSTANCES} × c=${concurrency} (call latency)`, results.flatMap((result) => result.latencies), seconds);
}

function print(
  floor: Figures,
  delivered: Figures,
  tenths: string[],
  found: { duplicates: number; misses: number; stored: number; waiting: number; spreadMs: number; n: number; stats: { ticks: number; skipped: number }[] },
): void {
  const row = (f: Figures) => ({ case: f.name, n: f.count, 'per s': f.perSecond.toFixed(0), 'p50 ms': f.p50.toFixed(0), 'p99 ms': f.p99.toFixed(0) });
  console.table([row(floor), row(delivered)]);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
  console.log(
    `lateness p50 ${(delivered.p50 / 1000).toFixed(2)} s, p99 ${(delivered.p99 / 1000).toFixed(2)} s (goal: p99 ≤ 10 s); ` +
      `${ratio(delivered.p50, floor.p50)} / ${ratio(delivered.p99, floor.p99)} the floor's call latency (p50 / p99)`,
  );
  console.log(`lateness (s) of the reminders due at each tenth of the window: ${tenths.join(' ')}`);
  recordResult({
    benchmark: 'reminders on PostgreSQL',
    scenario: `${found.n} reminders to distinct members due over ${found.spreadMs / 1000} s, 2 instances, platform answering in 20 ms`,
    figure: `lateness p50 ${(delivered.p50 / 1000).toFixed(2)} s, p99 ${(delivered.p99 / 1000).toFixed(2)} s; ${delivered.perSecond.toFixed(0)}/s; ${found.duplicates} duplicates, ${found.misses} misses`,
    floor: `bare loop of the same calls: ${floor.perSecond.toFixed(0)}/s, p50 ${floor.p50.toFixed(0)} ms`,
    // Spread over a minute, the rate follows the arrivals: lateness beside one call's latency says what waiting added.
    ratio: `lateness ${ratio(delivered.p50, floor.p50)} / ${ratio(delivered.p99, floor.p99)} the floor's call latency (p50 / p99)`,
  });
  const arrivals = found.spreadMs > 0 ? `; arrivals were ${(found.n / (found.spreadMs / 1000)).toFixed(0)}/s` : '';
  console.log(
    `deliveries: ${delivered.perSecond.toFixed(0)}/s from the first due to the last delivery, ${ratio(floor.perSecond, delivered.perSecond)} below the floor's ${floor.perSecond.toFixed(0)} calls/s${arrivals}`,
  );
  console.log(
    `duplicates: ${found.duplicates}, misses: ${found.misses} (goal: 0 and 0); deliveries rows: ${found.stored}, reminders still active: ${found.waiting}; ` +
      `ticks run / skipped per instance: ${found.stats.map((s) => `${s.ticks}/${s.skipped}`).join(', ')}`,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
