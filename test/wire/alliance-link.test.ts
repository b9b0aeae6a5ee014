// One alliance across Slack and Discord at the wire: the real Slack and Discord adapters on one core and one database (PGlite and the server), linked with `alliance link` and `alliance join`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { GUILDS, isEphemeral, MANAGE_SERVER, PEOPLE as DISCORD_PEOPLE, said, startDiscordRig, type DiscordRig } from '../support/discord.js';
import { blockTexts, PEOPLE as SLACK_PEOPLE, startSlackRig, type SlackRig } from '../support/slack.js';

describe.each(databaseTargets())('a Slack workspace and a Discord server as one alliance on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let slack: SlackRig;
  let discord: DiscordRig;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
    slack = await startSlackRig(database, { core });
    discord = await startDiscordRig(core);
  });
  afterAll(async () => {
    await discord?.stop();
    await slack?.stop();
    await database?.close();
  });

  it('GIVEN Slack\'s `alliance link` THEN only its coordinator sees the code; a Discord admin joins with it; a task added on Discord is in Slack\'s list', async () => {
    // Slack: the workspace admin (a coordinator) asks for a code; the answer is for them alone.
    const linked = await slack.command('alliance link', { userId: SLACK_PEOPLE.coord.id });
    expect(linked.response_type).toBe('ephemeral');
    const code = /`([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})`/.exec(blockTexts(linked).join('\n'))?.[1];
    expect(code).toBeDefined();
    expect(blockTexts(linked).join('\n')).toContain(`/minga alliance join ${code}`);

    // Discord: a member without Manage Server may not join (even the server's first member, who coordinates its own
    // alliance); the server's admin may.
    const refused = await discord.slash('alliance join', { code: code! }, { user: DISCORD_PEOPLE.ana });
    expect(isEphemeral(refused.callback)).toBe(true);
    expect(said(refused.callback)).toMatch(/^Only an admin of this workspace/);
    const joined = await discord.slash('alliance join', { code: code! }, { user: DISCORD_PEOPLE.coord, permissions: MANAGE_SERVER });
    expect(said(joined.callback)).toMatch(/^This workspace is now part of the alliance/);
    // Once: a second server cannot use it.
    const again = await discord.slash('alliance join', { code: code! }, { user: DISCORD_PEOPLE.coord, guildId: GUILDS.spare.id, permissions: MANAGE_SERVER });
    expect(said(again.callback)).toMatch(/^That code does not work/);

    // One alliance: a task added on Discord, for a Discord member, is in Slack's list, with the platform beside the name.
    const added = await discord.slash('task add', { title: 'Paint the banner', member: DISCORD_PEOPLE.lucia }, { user: DISCORD_PEOPLE.ana });
    expect(said(added.callback)).toContain('Paint the banner');
    const list = await slack.command('task list', { userId: SLACK_PEOPLE.ana.id });
    expect(blockTexts(list).join('\n')).toContain('Paint the banner · @Lucía (Discord)');
    // `@Lucia` typed on Slack (no Slack user of that name, so Slack leaves it as text) is the Discord member Lucía.
    const assigned = await slack.command('task add Call the press @Lucia', { userId: SLACK_PEOPLE.coord.id });
    expect(blockTexts(assigned).join('\n')).toContain('@Lucía (Discord)');
    // On Discord, whose member picker lists its own people only, anyone of the alliance is suggested as you type, and named.
    const suggested = await discord.autocomplete('task assign', 'linked', 'an', { user: DISCORD_PEOPLE.lucia, type: 3 });
    expect(suggested.callback.body.data.choices).toEqual([
      { name: '@Ana (Discord)', value: 'Ana (Discord)' },
      { name: '@ana (Slack)', value: 'ana (Slack)' },
    ]);
    const ambiguous = await discord.slash('task assign', { number: 1, linked: 'ana' }, { user: DISCORD_PEOPLE.lucia });
    expect(said(ambiguous.callback)).toMatch(/^Several members are called @ana: @Ana \(Discord\), @ana \(Slack\)\./);
    const assignedToSlack = await discord.slash('task assign', { number: 1, linked: 'ana (Slack)' }, { user: DISCORD_PEOPLE.lucia });
    expect(said(assignedToSlack.callback)).toContain('@ana (Slack)');
    // The same list on Discord.
    const onDiscord = await discord.slash('task list', {}, { user: DISCORD_PEOPLE.lucia });
    expect(said(onDiscord.callback)).toContain('Paint the banner · @ana (Slack)');
  });

  it('GIVEN the linked server THEN its admin sets its home channel from the channel option, and then leaves with nothing', async () => {
    const channel = GUILDS.main.channels[0]!;
    const home = await discord.slash('alliance channel', { channel: { channelId: channel.id, name: channel.name } }, { user: DISCORD_PEOPLE.coord, permissions: MANAGE_SERVER });
    expect(said(home.callback)).toMatch(/^Home channel of this workspace: #general\./);
    const left = await discord.slash('alliance unlink', {}, { user: DISCORD_PEOPLE.coord, permissions: MANAGE_SERVER });
    expect(said(left.callback)).toMatch(/^This workspace has left the alliance/);
    // Slack's alliance keeps the task made on Discord.
    const list = await slack.command('task list', { userId: SLACK_PEOPLE.ana.id });
    expect(blockTexts(list).join('\n')).toContain('Paint the banner · @ana');
    const fresh = await discord.slash('task list', {}, { user: DISCORD_PEOPLE.lucia });
    expect(said(fresh.callback)).not.toContain('Paint the banner');
  });
});
