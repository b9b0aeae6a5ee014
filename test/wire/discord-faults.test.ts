// Discord answering 429 or 5xx at the wire: the real discord.js client against the fake's injected failures. Posts and edits wait out a 429 (a route's or the global one) and go out once; a 5xx is retried by discord.js's rules; one that lasts fails the job, logged once, and the scheduler goes on; /metrics counts the 429s and the failures.
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { createMetrics } from '../../adapters/metrics.js';
import { deliveries, scheduledJobs } from '../../db/schema.js';
import { conversationId } from '../../src/conversation.js';
import type { Reply } from '../../src/reply.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { startFakeDiscord, type RecordedRequest } from '../fakes/discord.js';
import { createTestCore, FIXED_NOW } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { APP_ID, MANAGE_SERVER, PEOPLE, startDiscordRig, TOKEN, visibleText, WAIT_MS, type DiscordRig } from '../support/discord.js';
import { captureLog, type CapturedLog } from '../support/logs.js';
import { wireAdapters } from '../support/polls.js';
import { insertReminder, memberRow } from '../support/reminders.js';

const MINUTE = 60_000;
const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * MINUTE);
/** A server with channels of its own for these tests: one per case, so counts per channel are counts per message. */
const GUILD = {
  id: '930000000000000001',
  name: 'Red de Radios',
  ownerId: '930000000000000009',
  channels: ['930000000000000002', '930000000000000003', '930000000000000004', '930000000000000005', '930000000000000006'].map((id, i) => ({ id, name: `canal-${i}` })),
};
const [ROUTE_429, SERVER_503, LASTING_500, HEALTHY, EDITS] = GUILD.channels.map((channel) => channel.id) as [string, string, string, string, string];
/** Short waits: discord.js waits them for real (the test asserts no timing). */
const RETRY_AFTER_S = 0.2;

const POSTS = /^\/channels\/\d+\/messages$/;
const reply = (text: string): Reply => ({ visibility: 'public', locale: 'en', lines: [{ text }] });
const summary = (requests: RecordedRequest[]) => requests.map((request) => ({ status: request.status, injected: request.injected }));

describe.each(databaseTargets())('Discord answering 429 and 5xx, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;
  let scheduler: Scheduler;
  let tickAt: (minutes: number) => Promise<void>;
  let captured: CapturedLog;
  const metrics = createMetrics();
  const posts = (channelId: string) => rig.fake.requests.filter((request) => request.method === 'POST' && request.path === `/channels/${channelId}/messages`);
  const calls = async (outcome: string) =>
    (await metrics.registry.getSingleMetric('minga_platform_calls_total')!.get()).values.find((v) => v.labels.platform === 'discord' && v.labels.outcome === outcome)?.value ?? 0;
  const remind = async (channelId: string, text: string, minutes: number) => {
    const coord = await memberRow(database.db, 'discord', GUILD.id, PEOPLE.coord.id);
    const conversation = conversationId({ platform: 'discord', workspaceId: GUILD.id, channelId });
    return insertReminder(database.db, { allianceId: coord.allianceId, createdBy: coord.id, target: { conversation }, text, nextAt: at(minutes) });
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    captured = captureLog({ level: 'info' });
    const wiring = wireAdapters(database.db, { observer: metrics.observer, log: captured.log });
    ({ scheduler, tickAt } = wiring);
    rig = await startDiscordRig(wiring.core, { guilds: [GUILD], guildId: GUILD.id, services: { observer: metrics.observer }, log: captured.log });
    wiring.adapters.push(rig.adapter);
    await rig.slash('help', {}, { user: PEOPLE.coord, permissions: MANAGE_SERVER });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN a post answered 429 on its route THEN discord.js waits out retry_after, and the reminder shows once', async () => {
    const rateLimited = await calls('rate_limited');
    rig.fake.failNext('POST', POSTS, { status: 429, retryAfter: RETRY_AFTER_S });
    const set = await remind(ROUTE_429, 'Assembly at 19:00', 10);
    await tickAt(10);
    expect(summary(posts(ROUTE_429))).toEqual([
      { status: 429, injected: { status: 429, retryAfter: RETRY_AFTER_S } },
      { status: 200, injected: undefined },
    ]);
    expect(visibleText(posts(ROUTE_429)[1]!.body)).toBe('Reminder from @Coordinación: Assembly at 19:00');
    const [row] = await database.db.select().from(deliveries).where(like(deliveries.key, `reminder:${set.id}:%`));
    expect(rig.fake.message(row!.messageRef!)).toBeDefined();
    expect(await calls('rate_limited')).toBe(rateLimited + 1);
  });

  it('GIVEN an edit answered with the global 429 THEN discord.js waits it out, and the edit goes out once', async () => {
    const conversation = conversationId({ platform: 'discord', workspaceId: GUILD.id, channelId: EDITS });
    const ref = await rig.adapter.post(conversation, reply('v1'));
    const edits = () => rig.fake.requests.filter((request) => request.method === 'PATCH' && request.path === `/channels/${EDITS}/messages/${ref}`);
    const rateLimited = await calls('rate_limited');
    rig.fake.failNext('PATCH', /^\/channels\/\d+\/messages\/\d+$/, { status: 429, retryAfter: RETRY_AFTER_S, global: true });
    await rig.adapter.edit(conversation, ref, reply('v2'));
    expect(summary(edits())).toEqual([
      { status: 429, injected: { status: 429, retryAfter: RETRY_AFTER_S, global: true } },
      { status: 200, injected: undefined },
    ]);
    expect(visibleText(rig.fake.message(ref))).toBe('v2');
    expect(await calls('rate_limited')).toBe(rateLimited + 1);
  });

  it.each<502 | 503>([502, 503])('GIVEN a post and an edit answered %i once (an incident) THEN discord.js tries again at once and both go out', async (status) => {
    const conversation = conversationId({ platform: 'discord', workspaceId: GUILD.id, channelId: SERVER_503 });
    const before = posts(SERVER_503).length;
    rig.fake.failNext('POST', POSTS, { status });
    const ref = await rig.adapter.post(conversation, reply(`after ${status}`));
    expect(summary(posts(SERVER_503).slice(before))).toEqual([
      { status, injected: { status } },
      { status: 200, injected: undefined },
    ]);
    rig.fake.failNext('PATCH', /^\/channels\/\d+\/messages\/\d+$/, { status });
    await rig.adapter.edit(conversation, ref, reply(`edited after ${status}`));
    expect(visibleText(rig.fake.message(ref))).toBe(`edited after ${status}`);
  });

  it('GIVEN Discord answers 500 past discord.js retries THEN the job fails, logged once, the next due job still goes out, and the failed one goes out on its retry', async () => {
    const failed = await calls('failed');
    // The first try and discord.js's three retries (its `retries` option), all 500.
    rig.fake.failNext('POST', new RegExp(`^/channels/${LASTING_500}/messages$`), { status: 500 }, 4);
    const lasting = await remind(LASTING_500, 'Budget review', 20);
    await remind(HEALTHY, 'Stand-up', 20);
    // The tick itself does not fail: the scheduler catches the job's failure.
    await tickAt(20);
    expect(summary(posts(LASTING_500))).toEqual(Array.from({ length: 4 }, () => ({ status: 500, injected: { status: 500 } })));
    expect(posts(HEALTHY).map((request) => visibleText(request.body))).toEqual(['Reminder from @Coordinación: Stand-up']);
    expect(await calls('failed')).toBe(failed + 4);
    const failures = captured.entries().filter((entry) => entry.msg === 'scheduled job failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'reminder.send', attempt: 1, err: { message: expect.stringContaining('Internal Server Error') } });
    // Released for a later try, per the scheduler's backoff, not dropped.
    const [job] = await database.db.select().from(scheduledJobs).where(and(eq(scheduledJobs.kind, 'reminder.send'), like(scheduledJobs.key, `%reminder:${lasting.id}:%`)));
    expect(job).toMatchObject({ doneAt: null, attempts: 1, claimedBy: null });
    expect(job!.runAt.getTime()).toBeGreaterThan(at(20).getTime());
    // Discord is back; the retry comes due and the reminder shows once.
    await tickAt(20 + 24 * 60);
    expect(posts(LASTING_500).map((request) => request.status)).toEqual([500, 500, 500, 500, 200]);
    expect(posts(HEALTHY)).toHaveLength(1);
    expect(captured.entries().filter((entry) => entry.msg === 'scheduled job failed')).toHaveLength(1);
  });
});

describe('Discord failing while Minga starts', () => {
  it('GIVEN the command registration answered 500 past discord.js retries THEN Minga starts anyway, logs it once, and registers on its next try', async () => {
    const database = await openTestDatabase('pglite');
    const fake = await startFakeDiscord({ applicationId: APP_ID, guilds: [GUILD] });
    const captured = captureLog({ level: 'info' });
    // The first read of the registered commands, and discord.js's three retries of it.
    fake.failNext('GET', /^\/applications\/\d+\/guilds\/\d+\/commands$/, { status: 500 }, 4);
    const adapter = new DiscordAdapter({ token: TOKEN, apiUrl: fake.restUrl, guildId: GUILD.id }, { log: captured.log, defaultLocale: 'en', registrationRetryMs: 50 });
    try {
      await adapter.start(createTestCore(database.db));
      expect(adapter.health()).toEqual({ ok: true, state: 'ready' });
      // Registered on the next try, without a restart.
      await vi.waitFor(() => captured.find('discord commands registered'), { timeout: WAIT_MS });
      expect(fake.commands(GUILD.id).map((command) => command.name)).toEqual(['minga']);
      expect(captured.entries().filter((entry) => entry.msg === 'discord commands not registered: Discord did not answer; trying again later')).toEqual([
        expect.objectContaining({ level: 50, retryInMs: 50, err: expect.objectContaining({ status: 500 }) }),
      ]);
      expect(captured.find('discord commands registered')).toMatchObject({ result: 'written' });
    } finally {
      await adapter.stop();
      await fake.close();
      await database.close();
    }
  });

  it('GIVEN the registration refused (403, not in the server) THEN start-up fails, as for a configuration mistake', async () => {
    const database = await openTestDatabase('pglite');
    const fake = await startFakeDiscord({ applicationId: APP_ID, guilds: [GUILD] });
    fake.failNext('GET', /^\/applications\/\d+\/guilds\/\d+\/commands$/, { status: 403, code: 50001, message: 'Missing Access' });
    const adapter = new DiscordAdapter({ token: TOKEN, apiUrl: fake.restUrl, guildId: GUILD.id }, { log: captureLog().log, defaultLocale: 'en', registrationRetryMs: 50 });
    try {
      await expect(adapter.start(createTestCore(database.db))).rejects.toMatchObject({ status: 403, code: 50001 });
      expect(adapter.health()).toEqual({ ok: false, state: 'stopped' });
    } finally {
      await adapter.stop();
      await fake.close();
      await database.close();
    }
  });
});
