// Digests at the wire: `digest now`, `digest preview` and a subscription firing at its local time, through the real Bolt app and the real discord.js client against the fakes, with the scheduler wired as in src/app.ts on a movable clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { GUILDS, isEphemeral, MANAGE_SERVER, PEOPLE as DISCORD_PEOPLE, startDiscordRig, visibleText, type DiscordRig } from '../support/discord.js';
import { wireAdapters } from '../support/polls.js';
import { blockTexts, CHANNEL, PEOPLE as SLACK_PEOPLE, startSlackRig, TEAM, type SlackRig } from '../support/slack.js';

/**
 * FIXED_NOW is Friday 27 November 2026, 12:00 UTC: 07:00 in Lima. A subscription for Fridays at 17:00 in Lima is due
 * 10 hours (600 minutes) later, at 22:00 UTC.
 */
const LIMA_FRIDAY_17 = 600;

describe.each(databaseTargets())('digests on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let scheduler: Scheduler;
  let tickAt: (minutes: number) => Promise<void>;
  const as = (userId: string) => ({ teamId: TEAM, userId, channelId: CHANNEL });
  const channelPosts = () => rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === CHANNEL);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wireAdapters(database.db);
    scheduler = wiring.scheduler;
    tickAt = wiring.tickAt;
    rig = await startSlackRig(database, { core: wiring.core, sender: { sleep: async () => {} } });
    wiring.adapters.push(rig.adapter);
    await rig.command('help', as(SLACK_PEOPLE.coord.id));
    await rig.command('task add Print the banners due tomorrow', as(SLACK_PEOPLE.coord.id));
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN digest now THEN the digest is posted in the channel with chat.postMessage, and the member is told so', async () => {
    const before = channelPosts().length;
    const answer = await rig.command('digest now', as(SLACK_PEOPLE.ana.id));
    expect(answer.response_type).toBe('ephemeral');
    expect(blockTexts(answer)).toEqual(['Digest posted in this channel.']);
    const [post, ...more] = channelPosts().slice(before);
    expect(more).toEqual([]);
    expect(blockTexts(post!.body).join('\n')).toMatch(/Weekly digest[\s\S]*Print the banners/);
    // Notifications and clients without blocks get the text too.
    expect(String(post!.body.text)).toMatch(/Weekly digest/);
  });

  it('GIVEN digest preview THEN only the member sees it: an ephemeral answer, nothing posted', async () => {
    const before = channelPosts().length;
    const answer = await rig.command('resumen vista previa', as(SLACK_PEOPLE.ana.id));
    expect(answer.response_type).toBe('ephemeral');
    expect(blockTexts(answer).join('\n')).toMatch(/Weekly digest[\s\S]*Print the banners/);
    expect(channelPosts().length).toBe(before);
  });

  it('GIVEN digest on friday 17:00 in an alliance in Lima THEN it is posted at 17:00 Lima time, once', async () => {
    await rig.command('timezone alliance America/Lima', as(SLACK_PEOPLE.coord.id));
    const answer = await rig.command('digest on friday 17:00', as(SLACK_PEOPLE.coord.id));
    expect(blockTexts(answer)[0]).toMatch(/Weekly digest on for this channel: .*Friday.*17:00 \(America\/Lima\)/);
    const before = channelPosts().length;
    await tickAt(LIMA_FRIDAY_17 - 1);
    expect(channelPosts().length).toBe(before);
    await tickAt(LIMA_FRIDAY_17);
    await tickAt(LIMA_FRIDAY_17 + 60);
    const posts = channelPosts().slice(before);
    expect(posts).toHaveLength(1);
    expect(blockTexts(posts[0]!.body)[0]).toMatch(/^Weekly digest/);
  });
});

describe.each(databaseTargets())('digests on Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;
  let scheduler: Scheduler;
  let tickAt: (minutes: number) => Promise<void>;
  const channelId = GUILDS.main.channels[0]!.id;
  const posted = () => rig.fake.messagesPosted().filter((request) => request.path === `/channels/${channelId}/messages`);
  const coord = { user: DISCORD_PEOPLE.coord, permissions: MANAGE_SERVER };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wireAdapters(database.db);
    scheduler = wiring.scheduler;
    tickAt = wiring.tickAt;
    rig = await startDiscordRig(wiring.core);
    wiring.adapters.push(rig.adapter);
    await rig.slash('help', {}, coord);
    await rig.slash('task add', { title: 'Print the banners', due: 'tomorrow' }, coord);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN /minga digest now THEN the digest is posted in the channel as embeds, and the member is told so', async () => {
    const before = posted().length;
    const { callback } = await rig.slash('digest now');
    expect(isEphemeral(callback)).toBe(true);
    expect(visibleText(callback.body.data)).toBe('Digest posted in this channel.');
    const [post, ...more] = posted().slice(before);
    expect(more).toEqual([]);
    expect(post!.body.embeds.length).toBeGreaterThan(0);
    expect(visibleText(post!.body)).toMatch(/Weekly digest[\s\S]*Print the banners/);
  });

  it('GIVEN /minga digest preview THEN only the member sees it: an ephemeral answer, nothing posted', async () => {
    const before = posted().length;
    const { callback } = await rig.slash('digest preview', {}, { user: DISCORD_PEOPLE.lucia, locale: 'es-ES' });
    expect(isEphemeral(callback)).toBe(true);
    expect(visibleText(callback.body.data)).toMatch(/Weekly digest[\s\S]*Print the banners/);
    expect(posted().length).toBe(before);
  });

  it('GIVEN /minga digest on for fridays at 17:00 in Lima, in Spanish THEN it is posted at 17:00 Lima time, once, in Spanish', async () => {
    await rig.slash('timezone', { zone: 'America/Lima', for: 'alliance' }, coord);
    const { callback } = await rig.slash('digest on', { when: 'friday 17:00', language: 'es' }, coord);
    expect(visibleText(callback.body.data)).toMatch(/17:00 \(America\/Lima\)/);
    const before = posted().length;
    await tickAt(LIMA_FRIDAY_17 - 1);
    expect(posted().length).toBe(before);
    await tickAt(LIMA_FRIDAY_17);
    await tickAt(LIMA_FRIDAY_17 + 60);
    const posts = posted().slice(before);
    expect(posts).toHaveLength(1);
    expect(visibleText(posts[0]!.body)).toMatch(/^Resumen semanal/);
  });
});
