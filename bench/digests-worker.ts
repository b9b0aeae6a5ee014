// One process of the digests benchmark, driven by bench/digests.ts over IPC: a Minga scheduler instance posting digests to the fake platform while counting its statements and memory, or a floor (bare posts, bare gathers).
import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/postgres-js';
import { pino } from 'pino';
import postgres from 'postgres';
import type { Db } from '../db/connection.js';
import * as schema from '../db/schema.js';
import type { Delivery } from '../src/delivery.js';
import { callPlatform } from './fake-platform.js';
import { timed } from './stats.js';
import { digestJobHandlers } from '../src/digest-jobs.js';
import { gatherWeek } from '../src/digest-week.js';
import { renderDigest } from '../src/render/digest.js';
import type { Reply } from '../src/reply.js';
import { createScheduler } from '../src/scheduler/scheduler.js';

export type WorkerCommand =
  | { kind: 'schedule'; url: string; platform: string; concurrency: number; batch: number; pool: number; countQueries: boolean; prepareAll: boolean }
  /** From now on, count statements and peak memory afresh (the digests are about to fall due). */
  | { kind: 'count' }
  | { kind: 'stop' }
  | { kind: 'posts'; platform: string; conversations: string[]; concurrency: number }
  | { kind: 'gathers'; url: string; pool: number; allianceIds: number[]; concurrency: number; prepareAll: boolean };

export interface Counted {
  /** Statements sent to the server, in all and by kind (`select digest_subscriptions`, `begin`…). */
  statements: number;
  byKind: Record<string, number>;
}

export type WorkerReport =
  | { kind: 'ready' }
  | { kind: 'counting' }
  | ({
      kind: 'stopped';
      ticks: number;
      skipped: number;
      jobs: number;
      /** For each job: how long after it was due its handler started, how long the handler took, and its post within it (ms). */
      waits: number[];
      handling: number[];
      posting: number[];
      peakRss: number;
      peakHeap: number;
    } & Counted)
  | { kind: 'posts'; latencies: number[]; seconds: number }
  | ({ kind: 'gathers'; latencies: number[]; seconds: number; gathers: number } & Counted)
  | { kind: 'failed'; message: string };

/** A statement's kind: its verb and first table, e.g. `update scheduled_jobs`; a transaction's begin and commit are their own. */
function kindOf(query: string): string {
  const text = query.trim().toLowerCase();
  const verb = text.split(/\s+/, 1)[0] ?? '';
  if (verb === 'begin' || verb === 'commit' || verb === 'rollback') return verb;
  const table = /\b(?:from|into|update)\s+"?([a-z_]+)"?/.exec(text)?.[1] ?? '?';
  return `${verb} ${table}`;
}

/**
 * A drizzle database on postgres.js that counts each statement it sends (postgres.js's `debug` hook). `prepareAll`, an
 * experiment: every statement prepared (drizzle asks postgres.js to prepare only those made with `.prepare()`), to see
 * what parsing and planning each one again costs.
 */
function countingDatabase(url: string, pool: number, counting: boolean, prepareAll = false) {
  const counted: Counted = { statements: 0, byKind: {} };
  const client = postgres(url, {
    max: pool,
    onnotice: () => {},
    ...(counting && {
      debug: (_connection: number, query: string) => {
        counted.statements += 1;
        const kind = kindOf(query);
        counted.byKind[kind] = (counted.byKind[kind] ?? 0) + 1;
      },
    }),
  });
  if (prepareAll) {
    const unsafe = client.unsafe.bind(client);
    client.unsafe = ((query: string, parameters?: never[], options?: object) => unsafe(query, parameters, { ...options, prepare: true })) as typeof client.unsafe;
  }
  const reset = () => {
    counted.statements = 0;
    counted.byKind = {};
  };
  return { db: drizzle(client, { schema }) as unknown as Db, counted, reset, close: () => client.end({ timeout: 5 }) };
}


/** The digest goes over the wire whole, as an adapter sends its blocks. */
function fakeDelivery(platform: string): Delivery {
  return {
    post: (conversation, reply: Reply) => callPlatform(platform, '/post', { conversation, reply }),
    edit: async (conversation, ref) => void (await callPlatform(platform, '/edit', { conversation, ref })),
    sendDirect: (platformName, workspaceId, userId, reply) => callPlatform(platform, '/dm', { platform: platformName, workspaceId, userId, reply }),
    canPost: async () => true,
  };
}

const send = (report: WorkerReport) => process.send!(report);
let stop: (() => Promise<Extract<WorkerReport, { kind: 'stopped' }>>) | undefined;
let startCounting: (() => void) | undefined;

async function schedule(command: Extract<WorkerCommand, { kind: 'schedule' }>): Promise<void> {
  const database = countingDatabase(command.url, command.pool, command.countQueries, command.prepareAll);
  const log = pino({ level: 'warn' }, process.stderr);
  const now = () => new Date();
  // Every connection of the pool opened first, as in an instance that has been running a while.
  await Promise.all(Array.from({ length: command.pool }, () => database.db.$count(schema.digestSubscriptions)));
  let jobs = 0;
  let waits: number[] = [];
  let handling: number[] = [];
  let posting: number[] = [];
  const platform = fakeDelivery(command.platform);
  const delivery: Delivery = {
    ...platform,
    post: async (conversation, reply) => {
      const started = performance.now();
      const ref = await platform.post(conversation, reply);
      posting.push(performance.now() - started);
      return ref;
    },
  };
  const handlers = digestJobHandlers({ db: database.db, delivery, defaults: { locale: 'en', timeZone: 'UTC' }, log, now });
  const sendDigest = handlers['digest.send']!;
  handlers['digest.send'] = async (job) => {
    jobs += 1;
    waits.push(Date.now() - new Date(job.payload.due).getTime());
    const started = performance.now();
    await sendDigest(job);
    handling.push(performance.now() - started);
  };
  const scheduler = createScheduler({ db: database.db, log, now, concurrency: command.concurrency, batch: command.batch, handlers });
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 50);
  startCounting = () => {
    database.reset();
    jobs = 0;
    waits = [];
    handling = [];
    posting = [];
    peakRss = 0;
    peakHeap = 0;
    sample();
  };
  scheduler.start();
  stop = async () => {
    await scheduler.stop();
    clearInterval(sampler);
    sample();
    const { statements, byKind } = database.counted;
    await database.close();
    return { kind: 'stopped', ...scheduler.stats(), jobs, waits, handling, posting, peakRss, peakHeap, statements, byKind };
  };
  send({ kind: 'ready' });
}


/** The posts' floor: the same posts (one digest's size each), at the same concurrency, with nothing around them. */
async function posts(command: Extract<WorkerCommand, { kind: 'posts' }>): Promise<void> {
  const reply: Reply = { visibility: 'public', locale: 'en', heading: 'Digest', lines: [{ text: 'x'.repeat(2000) }] };
  const result = await timed(command.conversations.length, command.concurrency, (i) => callPlatform(command.platform, '/floor', { conversation: command.conversations[i], reply }));
  send({ kind: 'posts', ...result });
}

/** The gathers' floor: each alliance's week gathered and rendered, nothing else, with its statements counted. */
async function gathers(command: Extract<WorkerCommand, { kind: 'gathers' }>): Promise<void> {
  const database = countingDatabase(command.url, command.pool, true, command.prepareAll);
  await Promise.all(Array.from({ length: command.pool }, () => database.db.$count(schema.digestSubscriptions)));
  database.reset();
  const at = new Date();
  const result = await timed(command.allianceIds.length, command.concurrency, async (i) => {
    renderDigest(await gatherWeek(database.db, command.allianceIds[i]!, at, 'UTC'), 'en');
  });
  const { statements, byKind } = database.counted;
  await database.close();
  send({ kind: 'gathers', ...result, gathers: command.allianceIds.length, statements, byKind });
}

process.on('message', (command: WorkerCommand) => {
  const done = (async () => {
    if (command.kind === 'schedule') await schedule(command);
    else if (command.kind === 'count') {
      startCounting?.();
      send({ kind: 'counting' });
    } else if (command.kind === 'posts') await posts(command);
    else if (command.kind === 'gathers') await gathers(command);
    else {
      const stopped = (await stop?.()) ?? { kind: 'stopped' as const, ticks: 0, skipped: 0, jobs: 0, waits: [], handling: [], posting: [], peakRss: 0, peakHeap: 0, statements: 0, byKind: {} };
      // Disconnected only once the report is written out: it is large (a figure per job), and would be lost otherwise.
      process.send!(stopped, () => process.disconnect());
    }
  })();
  done.catch((err: unknown) => send({ kind: 'failed', message: (err as Error).stack ?? String(err) }));
});
