// One alliance on two platforms at the wire: a Slack workspace and a Discord server linked, each with a home channel, the real Bolt app and discord.js client on one core and one scheduler; polls, proposals and reminders posted everywhere, one tally, tasks and digests alliance-wide.
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, polls, postedMessages } from '../../db/schema.js';
import type { Json } from '../fakes/discord.js';
import type { RecordedCall } from '../fakes/slack-api.js';
import { linkWorkspaces, setHomeChannel } from '../support/alliance-links.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { componentsOf, GUILDS, isEphemeral, PEOPLE as DISCORD, said, startDiscordRig, visibleText, type DiscordRig } from '../support/discord.js';
import { pollBallots, wireAdapters } from '../support/polls.js';
import { blockButtons, blockTexts, CHANNEL, PEOPLE as SLACK, startSlackRig, TEAM, type SlackRig } from '../support/slack.js';

const GUILD = GUILDS.main.id;
/** The Discord server's home channel, beside its `general`. */
const DISCORD_HOME = '910000000000000005';
const DISCORD_GENERAL = GUILDS.main.channels[0]!.id;
const SLACK_HOME = `slack:${TEAM}:${CHANNEL}`;
const DISCORD_HOME_CONVERSATION = `discord:${GUILD}:${DISCORD_HOME}`;

const as = (userId: string, channelId = CHANNEL) => ({ teamId: TEAM, userId, channelId });
/** The lines of a poll that show its results: its options' bars and its turnout, as every platform writes them. */
const resultLines = (text: string) => text.split('\n').filter((line) => /^\d+\. .*\(\d+%\)$|^Turnout:|^Outcome:/.test(line));
const blocksOf = (call: RecordedCall) => (call.body.blocks as { type: string }[] | undefined) ?? [];

describe.each(databaseTargets())('one alliance on Slack and Discord, on %s', (kind) => {
  let database: TestDatabase;
  let slack: SlackRig;
  let discord: DiscordRig;
  let wiring: ReturnType<typeof wireAdapters>;
  let minutes = 0;
  /** Time passes a little and the scheduler ticks, so coalesced refreshes go out. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      minutes += 1 / 60;
      await wiring.tickAt(minutes);
    }
  };
  const slackPosts = (channel = CHANNEL) => slack.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === channel);
  const discordPosts = (channel = DISCORD_HOME) => discord.fake.messagesPosted().filter((request) => request.path === `/channels/${channel}/messages`);
  const discordEdits = (ref: string) => discord.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${DISCORD_HOME}/messages/${ref}`);
  const posted = (pollId: number) => database.db.select().from(postedMessages).where(eq(postedMessages.subject, `poll:${pollId}`)).orderBy(postedMessages.id);
  const pollNumbered = async (number: number) => (await database.db.select().from(polls).where(eq(polls.number, number)))[0]!;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    wiring = wireAdapters(database.db);
    slack = await startSlackRig(database, { core: wiring.core, sender: { sleep: async () => {} } });
    discord = await startDiscordRig(wiring.core, {
      guilds: [{ ...GUILDS.main, channels: [...GUILDS.main.channels, { id: DISCORD_HOME, name: 'coordinacion' }] }, GUILDS.other],
    });
    wiring.adapters.push(slack.adapter, discord.adapter);
    // Each first command makes its workspace; then the Discord server joins the Slack workspace's alliance, and each
    // workspace gets a home channel (what `alliance join` and `alliance channel` will do).
    await slack.command('help', as(SLACK.coord.id));
    await discord.slash('help', {}, { user: DISCORD.coord });
    await linkWorkspaces(database.db, { platform: 'slack', externalId: TEAM }, { platform: 'discord', externalId: GUILD });
    await setHomeChannel(database.db, { platform: 'slack', externalId: TEAM }, SLACK_HOME);
    await setHomeChannel(database.db, { platform: 'discord', externalId: GUILD }, DISCORD_HOME_CONVERSATION);
  });
  afterAll(async () => {
    await wiring?.scheduler.stop();
    await slack?.stop();
    await discord?.stop();
    await database?.close();
  });

  let pollId = 0;
  let slackTs = '';
  let discordRef = '';

  it('GIVEN poll --everywhere on Slack THEN it is posted in both home channels, one message each, and the coordinator hears where', async () => {
    const answer = await slack.command('poll "Where do we meet?" "Lima" "Cusco" --everywhere', as(SLACK.coord.id));
    expect(answer.response_type).toBe('ephemeral');
    expect(blockTexts(answer)).toEqual([
      `Poll #1 is posted in #${CHANNEL} in minga-test (Slack), #${DISCORD_HOME} in Red de Huertas (Discord).`,
    ]);
    pollId = (await pollNumbered(1)).id;
    const copies = await posted(pollId);
    expect(copies.map((row) => row.conversation).sort()).toEqual([DISCORD_HOME_CONVERSATION, SLACK_HOME]);
    slackTs = copies.find((row) => row.conversation === SLACK_HOME)!.messageRef;
    discordRef = copies.find((row) => row.conversation === DISCORD_HOME_CONVERSATION)!.messageRef;

    const [onSlack, ...moreSlack] = slackPosts();
    expect(moreSlack).toEqual([]);
    expect(blockButtons(onSlack!.body).map((button) => button.value)).toEqual([`${pollId}-1`, `${pollId}-2`]);
    const [onDiscord, ...moreDiscord] = discordPosts();
    expect(moreDiscord).toEqual([]);
    expect(onDiscord!.body.embeds[0].title).toBe('Poll #1: Where do we meet?');
    expect(componentsOf(onDiscord!.body).map((c: Json) => c.custom_id)).toEqual([`poll.vote:${pollId}-1`, `poll.vote:${pollId}-2`]);
    // Nothing in the Discord server's other channel.
    expect(discordPosts(DISCORD_GENERAL)).toEqual([]);
  });

  it('GIVEN a Slack click and a Discord click THEN both count in one tally, and after the refresh both copies show the same results', async () => {
    const onSlack = await slack.click(`poll.vote:${pollId}-1`, `${pollId}-1`, as(SLACK.ana.id));
    expect(blockTexts(onSlack)).toEqual(['Your vote on #1: Lima.']);
    const onDiscord = await discord.exchange(
      discord.fake.buttonInteraction({ user: DISCORD.lucia, customId: `poll.vote:${pollId}-2`, messageId: discordRef, channelId: DISCORD_HOME }),
    );
    expect(said(onDiscord.callback)).toBe('Your vote on #1: Cusco.');
    expect((await pollBallots(database.db, pollId)).map((ballot) => ballot.choices).sort()).toEqual([[1], [2]]);

    await settle();
    const slackUpdate = slack.fake.callsTo('chat.update').filter((call) => call.body.ts === slackTs).at(-1)!;
    const discordEdit = discordEdits(discordRef).at(-1)!;
    const slackResults = resultLines(blockTexts(slackUpdate.body).join('\n'));
    const discordResults = resultLines(visibleText(discordEdit.body));
    expect(slackResults).toEqual([
      '1. Lima  █████░░░░░ 1 (50%)',
      '2. Cusco  █████░░░░░ 1 (50%)',
      // Everyone in the alliance, on both platforms: the two coordinators, Ana on Slack and Lucía on Discord.
      'Turnout: 2 of 4 members (50%).',
    ]);
    expect(discordResults).toEqual(slackResults);
    expect(discord.fake.message(discordRef)).toMatchObject({ components: [expect.anything()] });
  });

  it('GIVEN poll close THEN the buttons go from both copies and the outcome is posted in both home channels, once each', async () => {
    await slack.click(`poll.vote:${pollId}-1`, `${pollId}-1`, as(SLACK.bob.id));
    const slackBefore = slackPosts().length;
    const discordBefore = discordPosts().length;
    const closed = await slack.command('poll close 1', as(SLACK.coord.id));
    expect(blockTexts(closed)).toEqual(['Poll #1 is closed.']);

    const frozen = slack.fake.callsTo('chat.update').filter((call) => call.body.ts === slackTs).at(-1)!;
    expect(blockButtons(frozen.body)).toEqual([]);
    expect(discord.fake.message(discordRef)).toMatchObject({ components: [] });

    const [slackOutcome, ...moreSlack] = slackPosts().slice(slackBefore);
    const [discordOutcome, ...moreDiscord] = discordPosts().slice(discordBefore);
    expect(moreSlack).toEqual([]);
    expect(moreDiscord).toEqual([]);
    expect(blocksOf(slackOutcome!).some((block) => block.type === 'actions')).toBe(false);
    expect(discordOutcome!.body.components).toEqual([]);
    const outcome = resultLines(blockTexts(slackOutcome!.body).join('\n'));
    expect(outcome).toContain('Outcome: Lima, with 2 of 3 votes.');
    expect(resultLines(visibleText(discordOutcome!.body))).toEqual(outcome);
    const keys = (await database.db.select({ key: deliveries.key }).from(deliveries).where(like(deliveries.key, `poll.announce:${pollId}%`))).map((row) => row.key);
    expect(keys.sort()).toEqual([`poll.announce:${pollId}`, `poll.announce:${pollId}:${DISCORD_HOME_CONVERSATION}`]);

    // Run again (a retry, another instance): nothing is posted twice.
    await settle();
    expect(slackPosts().length).toBe(slackBefore + 1);
    expect(discordPosts().length).toBe(discordBefore + 1);
  });

  it('GIVEN a proposal everywhere from a Discord channel that is not a home channel THEN it is posted there and in both home channels', async () => {
    const slackBefore = slackPosts().length;
    const { callback } = await discord.slash('poll proposal', { text: 'We sign the joint letter', everywhere: true }, { user: DISCORD.coord, channelId: DISCORD_GENERAL });
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toBe(
      `Poll #2 is posted in #${DISCORD_GENERAL} in Red de Huertas (Discord), #${CHANNEL} in minga-test (Slack), #${DISCORD_HOME} in Red de Huertas (Discord).`,
    );
    const proposal = await pollNumbered(2);
    // The three posts go out side by side: in no set order.
    expect((await posted(proposal.id)).map((row) => row.conversation).sort()).toEqual([`discord:${GUILD}:${DISCORD_GENERAL}`, DISCORD_HOME_CONVERSATION, SLACK_HOME]);
    expect(slackPosts().slice(slackBefore).map((call) => call.body.text)).toEqual(['Proposal #2: We sign the joint letter']);
  });

  it('GIVEN --everywhere from a member who does not coordinate THEN it is refused and nothing is created', async () => {
    const refused = await slack.command('poll "Lunch?" "Yes" "No" --en-todas-partes', as(SLACK.ana.id));
    expect(blockTexts(refused)).toEqual([':warning: Only a coordinator may do that.']);
    expect(await database.db.select().from(polls)).toHaveLength(2);
  });

  it('GIVEN a workspace without a home channel THEN it is left out, and the coordinator is told which', async () => {
    await setHomeChannel(database.db, { platform: 'discord', externalId: GUILD }, null);
    const answer = await slack.command('poll "Snacks?" "Fruit" "Bread" --everywhere', as(SLACK.coord.id));
    expect(blockTexts(answer).join('\n')).toBe(
      `Poll #3 is posted in #${CHANNEL} in minga-test (Slack).\n` +
        'Left out, with no home channel yet: Red de Huertas (Discord). A coordinator there sets one with `alliance channel #channel`.',
    );
    await setHomeChannel(database.db, { platform: 'discord', externalId: GUILD }, DISCORD_HOME_CONVERSATION);
  });

  it('GIVEN remind everywhere THEN at its time it is posted in both home channels, once each', async () => {
    const answer = await slack.command('remind everywhere in 10 minutes Assembly call at noon', as(SLACK.coord.id));
    expect(blockTexts(answer).join('\n')).toMatch(/^I'll remind the home channel of every linked workspace on .*: Assembly call at noon/);
    expect(blockTexts(answer).join('\n')).toContain(`Home channels today: #${CHANNEL} in minga-test (Slack), #${DISCORD_HOME} in Red de Huertas (Discord). It goes to those set when it is due.`);
    const slackBefore = slackPosts().length;
    const discordBefore = discordPosts().length;
    minutes = 11;
    await wiring.tickAt(minutes);
    const [onSlack, ...moreSlack] = slackPosts().slice(slackBefore);
    const [onDiscord, ...moreDiscord] = discordPosts().slice(discordBefore);
    expect(moreSlack).toEqual([]);
    expect(moreDiscord).toEqual([]);
    expect(onSlack!.body.text).toMatch(/Assembly call at noon/);
    expect(visibleText(onDiscord!.body)).toMatch(/Assembly call at noon/);
    await wiring.tickAt((minutes += 1));
    expect(slackPosts().length).toBe(slackBefore + 1);
  });

  it('GIVEN a task assigned to an organization on Slack THEN it is in both workspaces\' task lists and digests', async () => {
    await slack.command('org add ong-verde ONG Verde', as(SLACK.coord.id));
    await slack.command('task add Print the banners org:ong-verde due tomorrow', as(SLACK.coord.id));

    expect(blockTexts(await slack.command('task list', as(SLACK.ana.id))).join('\n')).toMatch(/#1 Print the banners/);
    const { callback: list } = await discord.slash('task list', {}, { user: DISCORD.lucia });
    expect(said(list)).toMatch(/#1 Print the banners/);

    expect(blockTexts(await slack.command('digest preview', as(SLACK.ana.id))).join('\n')).toMatch(/Weekly digest[\s\S]*Print the banners[\s\S]*Where do we meet\?/);
    const { callback: preview } = await discord.slash('digest preview', {}, { user: DISCORD.lucia, channelId: DISCORD_HOME });
    expect(said(preview)).toMatch(/Weekly digest[\s\S]*Print the banners[\s\S]*Where do we meet\?/);

    const before = discordPosts().length;
    const { callback: now } = await discord.slash('digest now', {}, { user: DISCORD.lucia, channelId: DISCORD_HOME });
    expect(said(now)).toBe('Digest posted in this channel.');
    const [digest] = discordPosts().slice(before);
    expect(visibleText(digest!.body)).toMatch(/Print the banners/);
  });

  it('GIVEN a Discord member joining an organization THEN the answer names them with their platform, as the alliance spans two', async () => {
    const { callback } = await discord.slash('org join', { slug: 'ong-verde' }, { user: DISCORD.lucia });
    expect(said(callback)).toBe('@Lucía (Discord) now belongs to ONG Verde.');
  });
});
