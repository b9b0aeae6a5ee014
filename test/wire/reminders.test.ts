// Reminders delivered at the wire: the core's scheduler (wired as in src/app.ts, on a movable clock) through the real Slack sender and the real discord.js client, against the fakes.
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, scheduledJobs } from '../../db/schema.js';
import { conversationId } from '../../src/conversation.js';
import { occurrenceKey } from '../../src/reminders.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { FIXED_NOW } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { GUILDS, MANAGE_SERVER, PEOPLE as DISCORD_PEOPLE, startDiscordRig, visibleText, type DiscordRig } from '../support/discord.js';
import { wireAdapters } from '../support/polls.js';
import { insertReminder, memberRow } from '../support/reminders.js';
import { blockTexts, CHANNEL, PEOPLE as SLACK_PEOPLE, startSlackRig, TEAM, type SlackRig } from '../support/slack.js';

const MINUTE = 60_000;


const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * MINUTE);

describe.each(databaseTargets())('reminders on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let scheduler: Scheduler;
  let tickAt: (minutes: number) => Promise<void>;
  const as = (userId: string) => ({ teamId: TEAM, userId, channelId: CHANNEL });
  const member = (userId: string) => memberRow(database.db, 'slack', TEAM, userId);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wireAdapters(database.db);
    scheduler = wiring.scheduler;
    tickAt = wiring.tickAt;
    // The sender keeps its per-channel order but need not really wait its second between posts here.
    rig = await startSlackRig(database, { core: wiring.core, sender: { sleep: async () => {} } });
    wiring.adapters.push(rig.adapter);
    for (const person of [SLACK_PEOPLE.coord, SLACK_PEOPLE.ana, SLACK_PEOPLE.rosa]) await rig.command('help', as(person.id));
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN a reminder for a member THEN it arrives as a direct message, and its ts is recorded', async () => {
    const [coord, rosa] = [await member(SLACK_PEOPLE.coord.id), await member(SLACK_PEOPLE.rosa.id)];
    const set = await insertReminder(database.db, { allianceId: coord.allianceId, createdBy: coord.id, target: { member: rosa.id }, text: 'Llamar a la red', nextAt: at(10) });
    await tickAt(10);
    const dm = rig.fake.dmChannelFor(SLACK_PEOPLE.rosa.id);
    const [sent, ...more] = rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === dm);
    expect(more).toEqual([]);
    expect(rig.fake.callsTo('conversations.open').map((call) => call.body.users)).toEqual([SLACK_PEOPLE.rosa.id]);
    expect(blockTexts(sent!.body)).toEqual(['Recordatorio de @coord: Llamar a la red']);
    const [row] = await database.db.select().from(deliveries).where(like(deliveries.key, `reminder:${set.id}:%`));
    expect(row).toMatchObject({ key: `${occurrenceKey(set.id, at(10))}:${conversationId({ platform: 'slack', workspaceId: TEAM, channelId: SLACK_PEOPLE.rosa.id })}`, messageRef: expect.stringMatching(/^\d+\.\d{6}$/) });
    await tickAt(20);
    expect(rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === dm)).toHaveLength(1);
  });

  it('GIVEN a reminder for a channel THEN it is posted in the channel', async () => {
    const ana = await member(SLACK_PEOPLE.ana.id);
    const channel = conversationId({ platform: 'slack', workspaceId: TEAM, channelId: CHANNEL });
    await insertReminder(database.db, { allianceId: ana.allianceId, createdBy: ana.id, target: { conversation: channel }, text: 'Stand-up in 5 minutes', nextAt: at(30) });
    await tickAt(30);
    const posts = rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === CHANNEL);
    expect(posts.map((call) => blockTexts(call.body))).toEqual([['Reminder from @ana: Stand-up in 5 minutes']]);
  });

  it('GIVEN a channel Minga is not in THEN Slack refuses once and whoever set the reminder is told by direct message', async () => {
    const ana = await member(SLACK_PEOPLE.ana.id);
    const channel = conversationId({ platform: 'slack', workspaceId: TEAM, channelId: 'C0PRIVATE' });
    const set = await insertReminder(database.db, { allianceId: ana.allianceId, createdBy: ana.id, target: { conversation: channel }, text: 'Budget review', nextAt: at(40) });
    rig.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    await tickAt(40);
    await tickAt(100);
    expect(rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0PRIVATE')).toHaveLength(1);
    const toAna = rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === rig.fake.dmChannelFor(SLACK_PEOPLE.ana.id));
    expect(toAna.map((call) => blockTexts(call.body))).toEqual([
      [`I could not post your reminder #${set.number} in its channel: I am not a member of it. Invite me there, then set the reminder again.`],
    ]);
  });
});

describe.each(databaseTargets())('reminders on Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;
  let scheduler: Scheduler;
  let tickAt: (minutes: number) => Promise<void>;
  const guild = GUILDS.main.id;
  const channelId = GUILDS.main.channels[0]!.id;
  const member = (userId: string) => memberRow(database.db, 'discord', guild, userId);
  const posted = (channel: string) => rig.fake.messagesPosted().filter((request) => request.path === `/channels/${channel}/messages`);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wireAdapters(database.db);
    scheduler = wiring.scheduler;
    tickAt = wiring.tickAt;
    rig = await startDiscordRig(wiring.core);
    wiring.adapters.push(rig.adapter);
    await rig.slash('help', {}, { user: DISCORD_PEOPLE.coord, permissions: MANAGE_SERVER });
    for (const person of [DISCORD_PEOPLE.ana, DISCORD_PEOPLE.bob]) await rig.slash('help', {}, { user: person });
    await rig.slash('help', {}, { user: DISCORD_PEOPLE.lucia, locale: 'es-ES' });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN a reminder for a member THEN it arrives as a direct message, and its message id is recorded', async () => {
    const [coord, lucia] = [await member(DISCORD_PEOPLE.coord.id), await member(DISCORD_PEOPLE.lucia.id)];
    const set = await insertReminder(database.db, { allianceId: coord.allianceId, createdBy: coord.id, target: { member: lucia.id }, text: 'Enviar el acta', nextAt: at(10) });
    await tickAt(10);
    const opened = rig.fake.requests.filter((request) => request.path === '/users/@me/channels' && request.body?.recipient_id === DISCORD_PEOPLE.lucia.id);
    expect(opened).toHaveLength(1);
    const sent = rig.fake.messagesPosted().filter((request) => request.path !== `/channels/${channelId}/messages`);
    expect(sent.map((request) => visibleText(request.body))).toEqual(['Recordatorio de @Coordinación: Enviar el acta']);
    const [row] = await database.db.select().from(deliveries).where(like(deliveries.key, `reminder:${set.id}:%`));
    expect(row?.messageRef).toMatch(/^\d+$/);
    expect(rig.fake.message(row!.messageRef!)).toBeDefined();
  });

  it('GIVEN a reminder for a channel THEN it is posted in the channel', async () => {
    const ana = await member(DISCORD_PEOPLE.ana.id);
    const channel = conversationId({ platform: 'discord', workspaceId: guild, channelId });
    await insertReminder(database.db, { allianceId: ana.allianceId, createdBy: ana.id, target: { conversation: channel }, text: 'Assembly at 19:00', nextAt: at(20) });
    await tickAt(20);
    expect(posted(channelId).map((request) => visibleText(request.body))).toEqual(['Reminder from @Ana: Assembly at 19:00']);
  });

  it('GIVEN a member whose direct messages are closed (50007) THEN whoever set the reminder is told by direct message, and the member is not tried again', async () => {
    const [ana, bob] = [await member(DISCORD_PEOPLE.ana.id), await member(DISCORD_PEOPLE.bob.id)];
    rig.fake.refuseDirectMessages(DISCORD_PEOPLE.bob.id);
    const set = await insertReminder(database.db, { allianceId: ana.allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Bring the keys', nextAt: at(30) });
    const before = rig.fake.messagesPosted().length;
    await tickAt(30);
    await tickAt(200);
    const attempts = rig.fake.messagesPosted().slice(before);
    expect(attempts.map((request) => [request.status, visibleText(request.body)])).toEqual([
      [403, 'Reminder from @Ana: Bring the keys'],
      [200, `I could not deliver your reminder #${set.number} to @Bob: they do not accept direct messages.`],
    ]);
    const [job] = await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, occurrenceKey(set.id, at(30))));
    expect(job).toMatchObject({ attempts: 1, lastError: null, doneAt: expect.any(Date) });
  });
});
