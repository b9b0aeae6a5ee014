// Reminder and time zone commands through the real discord.js client: /minga remind set, list, cancel and /minga timezone, with a channel Discord resolved.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminders, workspaces } from '../../db/schema.js';
import { createTestCore } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { GUILDS, MANAGE_SERVER, PEOPLE, said, startDiscordRig, type DiscordRig } from '../support/discord.js';

describe.each(databaseTargets())('Discord reminder commands on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startDiscordRig(createTestCore(database.db));
    // The server's owner with Manage Server comes first, and so coordinates.
    await rig.slash('help', {}, { user: PEOPLE.coord, permissions: MANAGE_SERVER });
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  const remindersOf = (guildId: string) =>
    database.db
      .select({ reminder: reminders })
      .from(reminders)
      .innerJoin(workspaces, eq(workspaces.allianceId, reminders.allianceId))
      .where(and(eq(workspaces.platform, 'discord'), eq(workspaces.externalId, guildId)))
      .orderBy(reminders.number)
      .then((rows) => rows.map((row) => row.reminder));

  it('GIVEN a Discord member, who has no zone of the platform THEN reminders are read in the alliance\'s, which a coordinator sets', async () => {
    const shown = await rig.slash('timezone');
    expect(said(shown.callback)).toBe('Your time zone is UTC (the alliance\'s); the alliance\'s is UTC. Choose yours with `timezone America/Lima`.');
    const set = await rig.slash('timezone', { zone: 'America/Bogota', for: 'alliance' }, { user: PEOPLE.coord, permissions: MANAGE_SERVER });
    expect(said(set.callback)).toBe('Done: the alliance\'s time zone is America/Bogota. It is Fri, Nov 27, 07:00 there.');
    const { callback } = await rig.slash('remind set', { when: 'tomorrow 9am', text: 'Water the plants' });
    expect(said(callback)).toBe('I\'ll remind you on Sat, Nov 28, 09:00 (America/Bogota): Water the plants\nReminder #1; `remind cancel 1` cancels it.');
  });

  it('GIVEN a channel picked in the channel option THEN the reminder goes to that channel of this server', async () => {
    const { callback } = await rig.slash('remind set', { when: 'every monday 9:00', text: 'Weekly plan', channel: { channelId: GUILDS.main.channels[0]!.id, name: 'general' } });
    expect(said(callback)).toMatch(/^I'll remind #general every Monday at 09:00 \(America\/Bogota\), first on Mon, Nov 30, 09:00: Weekly plan/);
    const stored = await remindersOf(GUILDS.main.id);
    expect(stored.at(-1)).toMatchObject({ targetKind: 'channel', targetConversation: `discord:${GUILDS.main.id}:${GUILDS.main.channels[0]!.id}` });
  });

  it('GIVEN two targets at once THEN the member is told to choose one, and nothing is stored', async () => {
    const before = (await remindersOf(GUILDS.main.id)).length;
    const { callback } = await rig.slash('remind set', { when: 'in 1 hour', text: 'Call', member: PEOPLE.lucia, here: true });
    expect(said(callback)).toMatch(/Choose one of member, org, channel, here or everywhere/);
    expect(await remindersOf(GUILDS.main.id)).toHaveLength(before);
  });

  it('GIVEN remind list and cancel THEN they work as the text commands do', async () => {
    await rig.slash('remind set', { when: 'in 2 hours', text: 'Call Lucía', member: PEOPLE.lucia });
    const number = (await remindersOf(GUILDS.main.id)).at(-1)!.number;
    expect(said((await rig.slash('remind list', {}, { user: PEOPLE.lucia })).callback)).toContain(`#${number} Fri, Nov 27, 09:00 (America/Bogota) · for you: Call Lucía · set by @`);
    expect(said((await rig.slash('remind cancel', { reminder: number }, { user: PEOPLE.lucia })).callback)).toBe(`Reminder #${number} cancelled: Call Lucía`);
  });
});
