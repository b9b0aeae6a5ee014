// A PostgreSQL restart in the middle of traffic, on a cluster of the test's own: commands answer "try again", the pool reconnects, and a reminder due in the outage goes out after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openPostgres, type Database } from '../db/connection.js';
import { isDatabaseUnavailable } from '../src/errors.js';
import { faultHandlers, isDriverConnectionRace } from '../src/process-faults.js';
import { t } from '../src/i18n/index.js';
import { reminderJobHandlers } from '../src/reminder-jobs.js';
import { createScheduler, type Scheduler } from '../src/scheduler/scheduler.js';
import { captureLog } from './support/logs.js';
import { createTestCore, FIXED_NOW, requester, text, type TestCore } from './support/core.js';
import { recordingDelivery, type RecordingDelivery } from './support/delivery.js';
import { createPgCluster, findPgBin, type PgCluster } from './support/pg-cluster.js';

const found = findPgBin();
const skipReason = !process.env.TEST_DATABASE_URL
  ? 'TEST_DATABASE_URL is unset (the outage test runs only where a real PostgreSQL is)'
  : 'missing' in found
    ? found.missing
    : undefined;
if (skipReason) console.warn(`faults-outage: skipped: ${skipReason}`);

/** Waits until `check` holds, polling; fails after `ms` (a bound against hanging, not a timing assertion). */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(skipReason !== undefined)('a PostgreSQL restart in the middle of traffic', () => {
  let cluster: PgCluster;
  let database: Database;
  let core: TestCore;
  let scheduler: Scheduler;
  let delivery: RecordingDelivery;
  const capture = captureLog({ level: 'info' });
  let clock = FIXED_NOW.getTime();
  const now = () => new Date(clock);
  const ana = requester({ userId: 'ana', userName: 'ana' });
  const rosa = requester({ userId: 'rosa', userName: 'rosa', platformLocale: 'es-419' });

  // The process's own handlers (adapters/main.ts) stand in for vitest's while the server goes away: postgres.js lets a
  // lost connection's errors escape (see src/process-faults.ts), and what matters is what Minga does with them.
  const saved = { unhandledRejection: process.listeners('unhandledRejection'), uncaughtException: process.listeners('uncaughtException') };
  let fatal = 0;
  const handlers = faultHandlers(capture.log, () => (fatal += 1));

  beforeAll(async () => {
    process.removeAllListeners('unhandledRejection').on('unhandledRejection', handlers.onRejection);
    process.removeAllListeners('uncaughtException').on('uncaughtException', (err, origin) => handlers.onException(err, origin));
    cluster = await createPgCluster((found as { bin: string }).bin);
    database = await openPostgres(cluster.url);
    await migrateDatabase(database, cluster.url);
    core = createTestCore(database.db, { now });
    delivery = recordingDelivery();
    const defaults = { locale: 'en' as const, timeZone: 'UTC' };
    // Ticked by node-cron every second, as in production: the point is that its schedule survives the outage.
    scheduler = createScheduler({ db: database.db, log: capture.log, now, handlers: reminderJobHandlers({ db: database.db, delivery, defaults, log: capture.log, now }) });
    scheduler.start();
  }, 120_000);

  afterAll(async () => {
    await scheduler?.stop();
    await database?.close();
    await cluster?.destroy();
    process.removeAllListeners('unhandledRejection').removeAllListeners('uncaughtException');
    for (const listener of saved.unhandledRejection) process.on('unhandledRejection', listener);
    for (const listener of saved.uncaughtException) process.on('uncaughtException', listener);
  }, 60_000);

  it('GIVEN the server stopped and started again THEN commands in the outage answer "try again" in the member\'s language, later ones work, and a reminder due in it is sent after', async () => {
    expect(text(await core.handleText('task add Print the banners', ana))).toContain('Print the banners');
    expect(text(await core.handleText('remind me in 10 minutes call the press', ana))).toContain('call the press');
    // Rosa's first command creates her, in Spanish: in the outage her language still comes from her platform.
    await core.handleText('ayuda', rosa);

    // Traffic while the server goes down: each command is answered, in full or with "try again", never with an apology
    // for a bug and never left unanswered.
    const burst = Array.from({ length: 20 }, (_, i) => core.handleText(i % 2 ? 'task list' : `task add Burst ${i}`, ana));
    await cluster.stop();
    for (const reply of await Promise.all(burst)) {
      if (reply.error) expect(text(reply)).toBe(t('en', 'error.unavailable'));
    }
    // The reminder falls due while the server is down.
    clock += 11 * 60_000;
    const timings: number[] = [];
    for (const [who, locale] of [[ana, 'en'], [rosa, 'es'], [ana, 'en']] as const) {
      const started = performance.now();
      const reply = await core.handleText('task list', who);
      timings.push(Math.round(performance.now() - started));
      expect(text(reply)).toBe(t(locale, 'error.unavailable'));
      expect(reply.error).toBe(true);
    }
    console.info(`faults-outage: "try again" answered in ${timings.join(', ')} ms`);
    // node-cron's ticks fail meanwhile; the scheduler says so once, not every second.
    await until(() => capture.entries().some((entry) => entry.msg === 'scheduler paused: database unavailable'), 10_000, 'a failed tick');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(capture.entries().filter((entry) => entry.msg === 'scheduler paused: database unavailable')).toHaveLength(1);
    expect(delivery.directs).toHaveLength(0);

    // One line per command, with the reference id; never the internal-error apology's "command failed".
    const unavailable = core.logs.filter((entry) => entry.msg === 'command failed: database unavailable');
    expect(unavailable.length).toBeGreaterThanOrEqual(3);
    for (const entry of unavailable) {
      expect(entry.ref).toMatch(/^[0-9a-f]{8}$/);
      expect(entry.command).toBe('text');
    }
    expect(core.logs.some((entry) => entry.msg === 'command failed')).toBe(false);

    await cluster.start();
    // The pool opens new connections by itself (a command racing the restart may still hear "try again").
    let reply = await core.handleText('task list', ana);
    await until(async () => !(reply = await core.handleText('task list', ana)).error, 15_000, 'a command to work again');
    expect(text(reply)).toContain('Print the banners');
    await until(() => delivery.directs.length > 0, 30_000, 'the reminder after the restart');
    expect(delivery.directs.map((sent) => [sent.userId, text(sent.reply)])).toEqual([['ana', expect.stringContaining('call the press')]]);
    expect(capture.entries().some((entry) => entry.msg === 'scheduler resumed: database reachable again')).toBe(true);
    // Whatever the driver let escape was a lost connection: logged, and nothing stopped Minga.
    expect(fatal).toBe(0);
    expect(capture.entries().filter((entry) => entry.msg === 'unhandled rejection; Minga keeps running')).toEqual([]);
  }, 120_000);

  it('GIVEN the errors a lost or refused connection gives THEN each is told apart from a bug', () => {
    const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: Object.assign(new Error(code), { code }) });
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', 'CONNECT_TIMEOUT', '57P01', '57P03', '08006']) expect(isDatabaseUnavailable(wrapped(code))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })]))).toBe(true);
    for (const code of ['23505', '42P01', undefined]) expect(isDatabaseUnavailable(wrapped(code as string))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    const race = new TypeError("Cannot read properties of null (reading 'write')");
    race.stack = `${race.message}\n    at Immediate.nextWrite (/app/node_modules/postgres/src/connection.js:255:22)`;
    expect(isDriverConnectionRace(race)).toBe(true);
    expect(isDriverConnectionRace(new TypeError("Cannot read properties of null (reading 'write')"))).toBe(false);
  });
});
