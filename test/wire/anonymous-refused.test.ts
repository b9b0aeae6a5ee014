// A server without MINGA_SECRET at the wire: the Slack poll form and Discord's /minga poll options refuse an anonymous poll, naming the variable, and store no poll.
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polls } from '../../db/schema.js';
import { createTestCore } from '../support/core.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { PEOPLE as DISCORD_PEOPLE, startDiscordRig, visibleText, type DiscordRig } from '../support/discord.js';
import { blockTexts, PEOPLE as SLACK_PEOPLE, startSlackRig, TEAM, type SlackRig } from '../support/slack.js';

const REFUSAL = 'Anonymous polls are off on this server: whoever runs Minga must set `MINGA_SECRET` first (see the README).';

// The refusal comes before any SQL of the poll's, so PGlite alone is enough here; test/anonymity.test.ts covers both databases.
describe('anonymous polls on a server without MINGA_SECRET, at the wire', () => {
  let database: TestDatabase;
  let slack: SlackRig;
  let discord: DiscordRig;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const core = createTestCore(database.db, { secret: null });
    slack = await startSlackRig(database, { core });
    discord = await startDiscordRig(core);
  });
  afterAll(async () => {
    await slack?.stop();
    await discord?.stop();
    await database?.close();
  });

  it('GIVEN the Slack poll form with "anonymous" ticked THEN the member alone is told to ask for MINGA_SECRET, and no poll is stored', async () => {
    const who = { teamId: TEAM, userId: SLACK_PEOPLE.coord.id };
    await slack.command('help', who);
    await slack.submit(
      'minga.form:poll.create',
      {
        question: { question: { type: 'plain_text_input', value: 'Where do we meet?' } },
        options: { options: { type: 'plain_text_input', value: 'Lima\nQuito' } },
        anonymous: { anonymous: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'Yes' }, value: 'yes' }] } },
      },
      who,
      JSON.stringify({ channelId: 'C0NOSECRET' }),
    );
    const told = await slack.fake.waitForCall('chat.postEphemeral', (call) => call.body.channel === 'C0NOSECRET');
    expect(told.body.user).toBe(SLACK_PEOPLE.coord.id);
    expect(blockTexts(told.body)).toEqual([`:warning: ${REFUSAL}`]);
    expect(await database.db.select().from(polls)).toEqual([]);
  });

  it('GIVEN /minga poll proposal with anonymous:true on Discord THEN the member alone is told to ask for MINGA_SECRET, and no poll is stored', async () => {
    const { callback } = await discord.slash('poll proposal', { text: 'We sign the letter', anonymous: true }, { user: DISCORD_PEOPLE.coord });
    expect((callback.body.data.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(visibleText(callback.body.data)).toContain(REFUSAL);
    expect(await database.db.select().from(polls)).toEqual([]);
  });
});
