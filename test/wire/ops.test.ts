// /healthz and /metrics at the wire: served by Slack's own server, or by a server of their own beside Discord; counters move after commands, jobs and platform calls, and a closed database turns health red.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../adapters/metrics.js';
import { opsRoutes } from '../../adapters/ops-routes.js';
import { SlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { DEFAULT_PORT, opsPort, opsWanted, startOpsServer, type OpsServer } from '../../adapters/ops-server.js';
import type { Adapter, OpsRoute } from '../../src/adapter.js';
import { conversationId } from '../../src/conversation.js';
import { checkHealth, JOB_LATE_SECONDS, type HealthReport } from '../../src/health.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.js';
import { startFakeSocketMode, type FakeSocketMode } from '../fakes/slack-socket.js';
import { FIXED_NOW } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { GUILDS, MANAGE_SERVER, PEOPLE as DISCORD_PEOPLE, startDiscordRig, type DiscordRig } from '../support/discord.js';
import { wireAdapters } from '../support/polls.js';
import { insertReminder, memberRow } from '../support/reminders.js';
import { BOT_TOKEN, CHANNEL, PEOPLE as SLACK_PEOPLE, startSlackRig, TEAM, type SlackRig } from '../support/slack.js';
import { freePort } from '../support/ports.js';

const MINUTE = 60_000;
const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * MINUTE);

describe('where the operators routes are served', () => {
  const slack = { platform: 'slack' as const, servesRoutes: true };
  const discord = { platform: 'discord' as const };
  const consoleOnly = { platform: 'console' as const };
  it.each([
    { given: 'Slack serving them on its own server', port: 4000, adapters: [slack, discord], then: undefined },
    { given: 'Discord alone, PORT unset', port: undefined, adapters: [discord], then: DEFAULT_PORT },
    { given: 'Discord alone, PORT=4000', port: 4000, adapters: [discord], then: 4000 },
    { given: 'the console, PORT unset', port: undefined, adapters: [consoleOnly], then: undefined },
    { given: 'the console, PORT=4000', port: 4000, adapters: [consoleOnly], then: 4000 },
  ])('GIVEN $given THEN a server of their own listens on $then', ({ port, adapters, then }) => {
    expect(opsPort(port, adapters)).toBe(then);
  });
  it.each([
    { given: 'the console, PORT unset', port: undefined, adapters: [consoleOnly], then: false },
    { given: 'the console, PORT=4000', port: 4000, adapters: [consoleOnly], then: true },
    { given: 'Discord, PORT unset', port: undefined, adapters: [discord], then: true },
  ])('GIVEN $given THEN metrics are loaded and routes served: $then', ({ port, adapters, then }) => {
    expect(opsWanted(port, adapters)).toBe(then);
  });
});

/** A Prometheus text exposition as samples: name, labels, value. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the sample with this name whose labels include these; 0 when there is none yet. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = samples(text).find((sample) => sample.name === name && Object.entries(labels).every(([key, v]) => sample.labels[key] === v));
  return found?.value ?? 0;
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function health(base: string): Promise<{ status: number; report: HealthReport }> {
  const { status, type, text } = await get(`${base}/healthz`);
  expect(type).toMatch(/^application\/json/);
  return { status, report: JSON.parse(text) as HealthReport };
}

const metricsOf = async (base: string) => {
  const { status, type, text } = await get(`${base}/metrics`);
  expect(status).toBe(200);
  expect(type).toMatch(/^text\/plain/);
  return text;
};

/** The routes as src/app.ts builds them, on the rig's scheduler and adapters. */
function routesFor(database: TestDatabase, adapters: Adapter[], scheduler: Scheduler, metrics: Metrics): OpsRoute[] {
  return opsRoutes({ health: () => checkHealth({ db: database.db, adapters: () => adapters, scheduler }), schedulerLag: () => scheduler.lag() }, metrics);
}

describe.each(databaseTargets())('/healthz and /metrics on Slack (HTTP), on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let scheduler: Scheduler;
  let tickAt: (minutes: number) => Promise<void>;
  let clock: { now: Date };
  let closed = false;
  const metrics = createMetrics();
  const as = (userId: string) => ({ teamId: TEAM, userId, channelId: CHANNEL });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wireAdapters(database.db, { observer: metrics.observer });
    ({ scheduler, tickAt, clock } = wiring);
    const routes = routesFor(database, wiring.adapters, scheduler, metrics);
    rig = await startSlackRig(database, { core: wiring.core, sender: { sleep: async () => {} }, services: { routes, observer: metrics.observer } });
    wiring.adapters.push(rig.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    if (!closed) await database?.close();
  });

  it('GIVEN Slack over HTTP THEN its own server answers /healthz: database, adapter and scheduler all fine', async () => {
    expect(rig.adapter.servesRoutes).toBe(true);
    const { status, report } = await health(rig.url);
    expect(status).toBe(200);
    expect(report).toEqual({
      ok: true,
      database: { ok: true },
      adapters: [{ platform: 'slack', ok: true, state: 'listening' }],
      scheduler: { ok: true, oldestDueSeconds: 0 },
    });
  });

  it('GIVEN commands THEN /metrics counts them by kind and outcome, with their latency', async () => {
    const before = await metricsOf(rig.url);
    await rig.command('task add Print the banners', as(SLACK_PEOPLE.ana.id));
    await rig.command('task list', as(SLACK_PEOPLE.ana.id));
    await rig.command('frobnicate', as(SLACK_PEOPLE.ana.id));
    const after = await metricsOf(rig.url);
    const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(moved('minga_commands_total', { kind: 'task.add', outcome: 'ok' })).toBe(1);
    expect(moved('minga_commands_total', { kind: 'task.list', outcome: 'ok' })).toBe(1);
    expect(moved('minga_commands_total', { kind: 'text', outcome: 'user_error' })).toBe(1);
    expect(moved('minga_command_duration_seconds_count', { kind: 'task.list' })).toBe(1);
    // prom-client's default metrics come along.
    expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples(after).some((sample) => sample.name.startsWith('nodejs_eventloop_lag'))).toBe(true);
  });

  it('GIVEN a job due and not taken for longer than the lease THEN /healthz is 503 with the lag; once it runs THEN 200, and the job and its post are counted, a 429 too', async () => {
    const ana = await memberRow(database.db, 'slack', TEAM, SLACK_PEOPLE.ana.id);
    const channel = conversationId({ platform: 'slack', workspaceId: TEAM, channelId: CHANNEL });
    await insertReminder(database.db, { allianceId: ana.allianceId, createdBy: ana.id, target: { conversation: channel }, text: 'Stand-up', nextAt: at(10) });
    clock.now = at(10 + JOB_LATE_SECONDS / 60 + 1);
    const late = await health(rig.url);
    expect(late.status).toBe(503);
    expect(late.report.scheduler).toEqual({ ok: false, oldestDueSeconds: JOB_LATE_SECONDS + 60 });
    expect(value(await metricsOf(rig.url), 'minga_scheduler_lag_seconds', { measure: 'oldest_due' })).toBe(JOB_LATE_SECONDS + 60);

    const before = await metricsOf(rig.url);
    rig.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await tickAt(10 + JOB_LATE_SECONDS / 60 + 1);
    const after = await metricsOf(rig.url);
    const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(moved('minga_jobs_total', { kind: 'reminder.send', outcome: 'ok' })).toBe(1);
    expect(moved('minga_platform_calls_total', { platform: 'slack', outcome: 'rate_limited' })).toBe(1);
    expect(moved('minga_platform_calls_total', { platform: 'slack', outcome: 'ok' })).toBe(1);
    expect(value(after, 'minga_scheduler_lag_seconds', { measure: 'oldest_due' })).toBe(0);
    expect((await health(rig.url)).status).toBe(200);
  });

  it('GIVEN the database closed THEN /healthz is 503 and says the database failed', async () => {
    await database.close();
    closed = true;
    const { status, report } = await health(rig.url);
    expect(status).toBe(503);
    expect(report.ok).toBe(false);
    expect(report.database).toEqual({ ok: false, error: 'failed' });
    expect(report.adapters).toEqual([{ platform: 'slack', ok: true, state: 'listening' }]);
  });
});

describe.each(databaseTargets())('/healthz and /metrics beside Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;
  let scheduler: Scheduler;
  let tickAt: (minutes: number) => Promise<void>;
  let server: OpsServer;
  let base: string;
  let closed = false;
  const metrics = createMetrics();
  const guild = GUILDS.main.id;
  const channelId = GUILDS.main.channels[0]!.id;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wireAdapters(database.db, { observer: metrics.observer });
    ({ scheduler, tickAt } = wiring);
    rig = await startDiscordRig(wiring.core, { services: { observer: metrics.observer } });
    wiring.adapters.push(rig.adapter);
    // Discord listens on no port: the routes get a server of their own, as adapters/main.ts starts it.
    expect(opsPort(0, wiring.adapters)).toBe(0);
    server = await startOpsServer(routesFor(database, wiring.adapters, scheduler, metrics), 0, pino({ level: 'silent' }), '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.stop();
    await scheduler?.stop();
    await rig?.stop();
    if (!closed) await database?.close();
  });

  it('GIVEN Discord connected THEN /healthz is 200 with the gateway ready, and other paths are 404', async () => {
    const { status, report } = await health(base);
    expect(status).toBe(200);
    expect(report).toEqual({
      ok: true,
      database: { ok: true },
      adapters: [{ platform: 'discord', ok: true, state: 'ready' }],
      scheduler: { ok: true, oldestDueSeconds: 0 },
    });
    expect((await get(`${base}/slack/events`)).status).toBe(404);
  });

  it('GIVEN a command and a job THEN /metrics counts them, and the calls to Discord', async () => {
    const before = await metricsOf(base);
    await rig.slash('help', {}, { user: DISCORD_PEOPLE.coord, permissions: MANAGE_SERVER });
    await rig.slash('task list');
    const coord = await memberRow(database.db, 'discord', guild, DISCORD_PEOPLE.coord.id);
    const channel = conversationId({ platform: 'discord', workspaceId: guild, channelId });
    await insertReminder(database.db, { allianceId: coord.allianceId, createdBy: coord.id, target: { conversation: channel }, text: 'Assembly at 19:00', nextAt: at(20) });
    await tickAt(20);
    const after = await metricsOf(base);
    const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(moved('minga_commands_total', { kind: 'help', outcome: 'ok' })).toBe(1);
    expect(moved('minga_commands_total', { kind: 'task.list', outcome: 'ok' })).toBe(1);
    expect(moved('minga_jobs_total', { kind: 'reminder.send', outcome: 'ok' })).toBe(1);
    // Two interaction callbacks and one post, at least: discord.js may ask more of its own.
    expect(moved('minga_platform_calls_total', { platform: 'discord', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
  });

  it('GIVEN the database closed THEN /healthz is 503 and says the database failed', async () => {
    await database.close();
    closed = true;
    const { status, report } = await health(base);
    expect(status).toBe(503);
    expect(report.database).toEqual({ ok: false, error: 'failed' });
    expect(report.adapters).toEqual([{ platform: 'discord', ok: true, state: 'ready' }]);
  });
});


describe.each(databaseTargets())('/healthz on Slack in Socket Mode, on %s', (kind) => {
  let database: TestDatabase;
  let socket: FakeSocketMode;
  let fake: FakeSlack;
  let adapter: SlackAdapter;
  let scheduler: Scheduler;
  let base: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    socket = await startFakeSocketMode();
    fake = await startFakeSlack({ teamId: TEAM, users: Object.values(SLACK_PEOPLE), socketModeUrl: socket.url });
    // Bolt's Socket Mode server does not say which port it took when given 0.
    const port = await freePort();
    const wiring = wireAdapters(database.db);
    scheduler = wiring.scheduler;
    adapter = new SlackAdapter({
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A0MINGA-1-secret', SLACK_API_URL: fake.url, PORT: String(port) },
      database,
      log: pino({ level: 'silent' }),
      locale: 'en',
    });
    await adapter.start(wiring.core, { routes: routesFor(database, wiring.adapters, scheduler, createMetrics()) });
    wiring.adapters.push(adapter);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await adapter?.stop();
    await socket?.close();
    await fake?.close();
    await scheduler?.stop();
    await database?.close();
  });

  it('GIVEN Socket Mode THEN Bolt serves /healthz on PORT, with the socket connected', async () => {
    expect(adapter.servesRoutes).toBe(true);
    const { status, report } = await health(base);
    expect(status).toBe(200);
    expect(report.adapters).toEqual([{ platform: 'slack', ok: true, state: 'connected' }]);
  });
});
