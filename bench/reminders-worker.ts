// One process of the reminders benchmark, driven by bench/reminders.ts over IPC: a Minga scheduler instance delivering reminders to the fake platform, or the floor's bare loop of the same calls.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { openPostgres } from '../db/connection.js';
import type { Delivery } from '../src/delivery.js';
import { callPlatform } from './fake-platform.js';
import { textReply } from '../src/reply.js';
import { createScheduler, type JobHandlers } from '../src/scheduler/scheduler.js';
import { reminderJobHandlers as reminderHandlers } from '../src/reminder-jobs.js';

export type WorkerCommand =
  | { kind: 'schedule'; url: string; platform: string; concurrency: number; batch: number; pool: number; bare: boolean }
  | { kind: 'stop' }
  | { kind: 'floor'; platform: string; count: number; concurrency: number };

export type WorkerReport =
  | { kind: 'ready' }
  | { kind: 'stopped'; ticks: number; skipped: number }
  | { kind: 'floor'; latencies: number[]; seconds: number }
  | { kind: 'failed'; message: string };


function fakeDelivery(platform: string): Delivery {
  return {
    post: (conversation) => callPlatform(platform, '/post', { conversation }),
    edit: async (conversation, ref) => void (await callPlatform(platform, '/edit', { conversation, ref })),
    sendDirect: (platformName, workspaceId, userId) => callPlatform(platform, '/dm', { platform: platformName, workspaceId, userId }),
    canPost: async () => true,
  };
}

const send = (report: WorkerReport) => process.send!(report);
let stop: (() => Promise<{ ticks: number; skipped: number }>) | undefined;

async function schedule(command: Extract<WorkerCommand, { kind: 'schedule' }>): Promise<void> {
  const database = await openPostgres(command.url, command.pool);
  const log = pino({ level: 'warn' }, process.stderr);
  const now = () => new Date();
  const deps = { db: database.db, delivery: fakeDelivery(command.platform), defaults: { locale: 'en' as const, timeZone: 'UTC' }, log, now };
  // Every connection of the pool opened and warmed up first, as in an instance that has been running a while.
  await Promise.all(Array.from({ length: command.pool }, () => database.db.execute(sql`select count(*) from reminders join deliveries on true where false`)));
  // Bare: the platform call alone, named by the reminder's id, so what the scheduler costs shows apart from the handler.
  const bare: JobHandlers = { 'reminder.send': async (job) => void (await deps.delivery.sendDirect('slack', 'TBENCH', `R${job.payload.reminderId}`, textReply('en', ''))) };
  const handlers = command.bare ? bare : reminderHandlers(deps);
  const scheduler = createScheduler({ db: database.db, log, now, concurrency: command.concurrency, batch: command.batch, handlers });
  scheduler.start();
  stop = async () => {
    await scheduler.stop();
    await database.close();
    return scheduler.stats();
  };
  send({ kind: 'ready' });
}

/** The floor: the same calls, at the same concurrency, with nothing around them. */
async function floor(command: Extract<WorkerCommand, { kind: 'floor' }>): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: command.concurrency }, async () => {
      while (next < command.count) {
        const i = next++;
        const t0 = performance.now();
        await callPlatform(command.platform, '/floor', { userId: `floor${i}` });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  send({ kind: 'floor', latencies, seconds: (performance.now() - started) / 1000 });
}

process.on('message', (command: WorkerCommand) => {
  const done = (async () => {
    if (command.kind === 'schedule') await schedule(command);
    else if (command.kind === 'floor') await floor(command);
    else {
      const stats = (await stop?.()) ?? { ticks: 0, skipped: 0 };
      send({ kind: 'stopped', ...stats });
      process.disconnect();
    }
  })();
  done.catch((err: unknown) => send({ kind: 'failed', message: (err as Error).stack ?? String(err) }));
});
