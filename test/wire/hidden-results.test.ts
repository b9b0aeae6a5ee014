// Hidden results at the wire, on Slack and on Discord: until the poll closes, no message Minga sends shows a member, its creator or a coordinator a count or a choice but their own.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postedMessages } from '../../db/schema.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { wireAdapters } from '../support/polls.js';
import * as discord from '../support/discord.js';
import * as slack from '../support/slack.js';

/** Text that gives a result away: a bar, "2 (50%)", an outcome. Turnout ("… members (75%).") is not one. */
const RESULT = /[█░]|\d+ \(\d+%\)|Outcome/;
const REFUSAL =
  'Poll #1 hides its results until it closes, from everyone (its creator and coordinators too), so there is nothing to export yet. `poll results 1` shows the turnout.';

/** The core and its scheduler wired as in src/app.ts on a movable clock, delivering through whichever adapters are pushed. */
function wired(database: TestDatabase) {
  const { core, scheduler, adapters, clock } = wireAdapters(database.db);
  /** Time passes and the scheduler ticks, so a coalesced refresh goes out. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      clock.now = new Date(clock.now.getTime() + 1000);
      await scheduler.tick();
    }
  };
  return { core, scheduler, adapters, settle };
}

/** The poll posted in a conversation: its id, and its message's ref on the platform. */
async function postedPoll(database: TestDatabase, conversation: string): Promise<{ pollId: number; ref: string }> {
  const [row] = await database.db.select().from(postedMessages).where(eq(postedMessages.conversation, conversation));
  if (!row) throw new Error(`nothing posted in ${conversation}`);
  return { pollId: Number(row.subject.replace('poll:', '')), ref: row.messageRef };
}

describe.each(databaseTargets())('hidden results on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: slack.SlackRig;
  let scheduler: Scheduler;
  let settle: () => Promise<void>;
  const channel = 'C0HIDDEN';
  const as = (userId: string): slack.Who => ({ teamId: slack.TEAM, userId, channelId: channel });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wired(database);
    ({ scheduler, settle } = wiring);
    rig = await slack.startSlackRig(database, { core: wiring.core, sender: { sleep: async () => {} } });
    wiring.adapters.push(rig.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN a poll with hidden results and votes THEN its message, its refreshes, results and export show the member, the creator and the coordinator no count until it closes', async () => {
    const { coord, ana, bob } = slack.PEOPLE;
    await rig.command('help', as(coord.id)); // a workspace admin: the coordinator
    expect(slack.blockTexts(await rig.command('poll "Where?" "Lima" "Cusco" --hide-results', as(ana.id)))).toEqual(['Poll #1 is posted.']);
    const { pollId, ref: ts } = await postedPoll(database, `slack:${slack.TEAM}:${channel}`);
    for (const [who, position, receipt] of [[bob, 1, 'Lima'], [coord, 2, 'Cusco'], [ana, 1, 'Lima']] as const) {
      const answer = await rig.click(`poll.vote:${pollId}-${position}`, `${pollId}-${position}`, as(who.id));
      expect(slack.blockTexts(answer)).toEqual([`Your vote on #1: ${receipt}.`]);
    }
    await settle();
    const messages = () => [
      ...rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === channel),
      ...rig.fake.callsTo('chat.update').filter((call) => call.body.channel === channel),
    ];
    expect(rig.fake.callsTo('chat.update').filter((call) => call.body.ts === ts).length).toBeGreaterThanOrEqual(1);
    expect(messages().flatMap((call) => slack.blockTexts(call.body)).filter((text) => RESULT.test(text))).toEqual([]);
    expect(slack.blockTexts(rig.fake.callsTo('chat.update').at(-1)!.body)).toContain(
      'Turnout: 3 of 3 members (100%).\nTo vote: the buttons or menu here, or `vote 1 &lt;option&gt;`.',
    );

    for (const who of [bob, ana, coord]) {
      const results = await rig.command('poll results 1', as(who.id));
      expect(results.response_type).toBe('ephemeral');
      expect(slack.blockTexts(results)).toEqual([
        'Poll #1: Where?',
        'Choose one.\nResults are shown when the poll closes.',
        '1. Lima',
        '2. Cusco',
        'Turnout: 3 of 3 members (100%).\nTo vote: the buttons or menu here, or `vote 1 &lt;option&gt;`.',
      ]);
      const exported = await rig.command('poll export 1', as(who.id));
      expect(exported.response_type).toBe('ephemeral');
      expect(slack.blockTexts(exported)).toEqual([`:warning: ${REFUSAL}`]);
    }

    await rig.command('poll close 1', as(ana.id));
    expect(slack.blockTexts(rig.fake.callsTo('chat.postMessage').at(-1)!.body)).toContain('Turnout: 3 of 3 members (100%).\nOutcome: Lima, with 2 of 3 votes.');
    expect(slack.blockTexts(await rig.command('poll export 1', as(bob.id)))[1]).toBe('I sent you poll-1.csv in a direct message.');
    expect(rig.fake.uploadedFiles().at(-1)?.content).toBe('number,option,votes\n1,Lima,2\n2,Cusco,1\n\nvoter,number,option\nana,1,Lima\nbob,1,Lima\ncoord,2,Cusco\n');
  });
});

describe.each(databaseTargets())('hidden results on Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: discord.DiscordRig;
  let scheduler: Scheduler;
  let settle: () => Promise<void>;
  const channel = discord.GUILDS.main.channels[0]!.id;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const wiring = wired(database);
    ({ scheduler, settle } = wiring);
    rig = await discord.startDiscordRig(wiring.core);
    wiring.adapters.push(rig.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN a poll with hidden results and votes THEN its message, its edits, results and export show the member, the creator and the coordinator no count until it closes', async () => {
    const { coord, ana, bob } = discord.PEOPLE;
    await rig.slash('help', {}, { user: coord }); // the first member coordinates the alliance
    const created = await rig.slash('poll create', { question: 'Where?', option1: 'Lima', option2: 'Cusco', hide_results: true }, { user: ana });
    expect(discord.said(created.callback)).toBe('Poll #1 is posted.');
    const { pollId, ref: messageRef } = await postedPoll(database, `discord:${discord.GUILDS.main.id}:${channel}`);
    for (const [who, position, receipt] of [[bob, 1, 'Lima'], [coord, 2, 'Cusco'], [ana, 1, 'Lima']] as const) {
      const { callback } = await rig.exchange(rig.fake.buttonInteraction({ user: who, customId: `poll.vote:${pollId}-${position}`, messageId: messageRef }));
      expect(discord.said(callback)).toBe(`Your vote on #1: ${receipt}.`);
    }
    await settle();
    const edits = rig.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${channel}/messages/${messageRef}`);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    const shown = [...rig.fake.messagesPosted(), ...edits].map((request) => discord.visibleText(request.body));
    expect(shown.filter((text) => RESULT.test(text))).toEqual([]);
    expect(shown.at(-1)).toContain('Turnout: 3 of 3 members (100%).');

    for (const who of [bob, ana, coord]) {
      const results = await rig.slash('poll results', { poll: 1 }, { user: who });
      expect(discord.isEphemeral(results.callback)).toBe(true);
      expect(discord.said(results.callback)).toBe(
        [
          'Poll #1: Where?',
          'Choose one.',
          'Results are shown when the poll closes.',
          '1. Lima',
          '2. Cusco',
          'Turnout: 3 of 3 members (100%).',
          'To vote: the buttons or menu here, or `vote 1 <option>`.',
        ].join('\n'),
      );
      const exported = await rig.slash('poll export', { poll: 1 }, { user: who });
      expect(discord.isEphemeral(exported.callback)).toBe(true);
      expect(discord.said(exported.callback)).toBe(REFUSAL);
      expect(exported.callback.body.data.attachments ?? []).toEqual([]);
    }

    const posts = rig.fake.messagesPosted().length;
    await rig.slash('poll close', { poll: 1 }, { user: coord });
    expect(discord.visibleText(rig.fake.messagesPosted().slice(posts)[0]!.body)).toContain('Outcome: Lima, with 2 of 3 votes.');
  });
});
