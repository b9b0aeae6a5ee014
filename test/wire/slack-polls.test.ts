// Polls on Slack at the wire: signed requests into the real Bolt app, the real core and its scheduler wired as in src/app.ts on a movable clock, answers checked at the fake Web API and in the database.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELECT_ACTION_ID } from '../../adapters/slack/blocks.js';
import { polls, postedMessages, workspaces } from '../../db/schema.js';
import type { Adapter } from '../../src/adapter.js';
import { createDelivery } from '../../src/delivery.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import type { FakeUser, RecordedCall } from '../fakes/slack-api.js';
import { actionTsAt } from '../fakes/slack-requests.js';
import { BURSTS_TIMEOUT_MS, lastClickWins, lastToggleWins, type Click } from '../support/bursts.js';
import { FIXED_NOW } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { pollBallots, wirePolls } from '../support/polls.js';
import { blockButtons, blockTexts, CHANNEL, PEOPLE, startSlackRig, TEAM, type SlackRig, type Who } from '../support/slack.js';

/** Members who click in the burst: 30 more people in the workspace. */
const crowd: FakeUser[] = Array.from({ length: 30 }, (_, i) => ({ id: `U0CROWD${String(i).padStart(2, '0')}`, name: `crowd${i}` }));
const as = (userId: string, channelId = CHANNEL): Who => ({ teamId: TEAM, userId, channelId });
const blocksOf = (call: RecordedCall) => (call.body.blocks as { type: string; elements?: { type: string }[] }[] | undefined) ?? [];

describe.each(databaseTargets())('polls on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let scheduler: Scheduler;
  const clock = { now: new Date(FIXED_NOW) };
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  /** The first poll's id and its message's ts, once posted. */
  let pollId = 0;
  let pollTs = '';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const adapters: Adapter[] = [];
    const now = () => clock.now;
    const wired = wirePolls(database.db, now, createDelivery(() => adapters));
    scheduler = wired.scheduler;
    const core = wired.core;
    // The sender keeps its per-channel order but need not really wait its second between posts here.
    rig = await startSlackRig(database, { core, users: [...Object.values(PEOPLE), ...crowd], sender: { sleep: async () => {} } });
    adapters.push(rig.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  /** Time passes and the scheduler ticks, so a coalesced refresh goes out. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      advance(1000);
      await scheduler.tick();
    }
  };
  const vote = (userId: string, position: number, id = pollId) => rig.click(`poll.vote:${id}-${position}`, `${id}-${position}`, as(userId));
  const updates = (ts = pollTs) => rig.fake.callsTo('chat.update').filter((call) => call.body.ts === ts);
  const postsTo = (channel: string) => rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === channel);
  const pollNamed = async (question: string) => {
    const [row] = await database.db
      .select({ id: polls.id, number: polls.number, status: polls.status })
      .from(polls)
      .innerJoin(workspaces, eq(workspaces.allianceId, polls.allianceId))
      .where(and(eq(workspaces.externalId, TEAM), eq(polls.question, question)));
    return row!;
  };
  const postedRefs = async (id: number) => database.db.select().from(postedMessages).where(eq(postedMessages.subject, `poll:${id}`));
  const ballotsOf = (id: number) => pollBallots(database.db, id);

  it('GIVEN /minga poll with three options THEN the poll is posted to the channel with its bars and a button per option, and its ts is kept', async () => {
    await rig.command('help', as(PEOPLE.coord.id)); // the workspace admin coordinates the alliance
    const answer = await rig.command('poll "Where do we meet?" "Lima" "Cusco" "Arequipa"', as(PEOPLE.ana.id));
    expect(answer.response_type).toBe('ephemeral');
    expect(blockTexts(answer)).toEqual(['Poll #1 is posted.']);

    const [posted, ...others] = postsTo(CHANNEL);
    expect(others).toEqual([]);
    expect(posted!.token).toBe('xoxb-test-token');
    expect(posted!.body.text).toBe('Poll #1: Where do we meet?');
    expect(blockTexts(posted!.body)).toEqual([
      'Poll #1: Where do we meet?',
      'Choose one.',
      '1. Lima  ░░░░░░░░░░ 0 (0%)',
      '2. Cusco  ░░░░░░░░░░ 0 (0%)',
      '3. Arequipa  ░░░░░░░░░░ 0 (0%)',
      'Turnout: 0 of 2 members (0%).\nTo vote: the buttons or menu here, or `vote 1 &lt;option&gt;`.',
    ]);
    pollId = (await pollNamed('Where do we meet?')).id;
    expect(blockButtons(posted!.body)).toEqual([
      { action_id: `poll.vote:${pollId}-1`, value: `${pollId}-1`, text: 'Lima' },
      { action_id: `poll.vote:${pollId}-2`, value: `${pollId}-2`, text: 'Cusco' },
      { action_id: `poll.vote:${pollId}-3`, value: `${pollId}-3`, text: 'Arequipa' },
    ]);
    const [ref, ...more] = await postedRefs(pollId);
    expect(more).toEqual([]);
    expect(ref).toMatchObject({ conversation: `slack:${TEAM}:${CHANNEL}`, messageRef: expect.stringMatching(/^\d+\.\d{6}$/) });
    pollTs = ref!.messageRef;
  });

  it('GIVEN several members click THEN each alone sees a receipt, the poll message stays, and one refresh updates it by its ts', async () => {
    const posts = rig.fake.callsTo('chat.postMessage').length;
    for (const [who, position, receipt] of [
      [PEOPLE.ana.id, 1, 'Your vote on #1: Lima.'],
      [PEOPLE.bob.id, 2, 'Your vote on #1: Cusco.'],
      [PEOPLE.rosa.id, 1, 'Tu voto en #1: Lima.'],
    ] as const) {
      const answer = await vote(who, position);
      // Ephemeral and not replacing: the poll clicked in is never swapped for someone's receipt.
      expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(blockTexts(answer)).toEqual([receipt]);
    }
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(posts);

    await settle();
    const [update, ...others] = updates();
    expect(others).toEqual([]);
    expect(update!.body.channel).toBe(CHANNEL);
    expect(blockTexts(update!.body)).toEqual([
      'Poll #1: Where do we meet?',
      'Choose one.',
      '1. Lima  ███████░░░ 2 (67%)',
      '2. Cusco  ███░░░░░░░ 1 (33%)',
      '3. Arequipa  ░░░░░░░░░░ 0 (0%)',
      'Turnout: 3 of 4 members (75%).\nTo vote: the buttons or menu here, or `vote 1 &lt;option&gt;`.',
    ]);
    expect(blockButtons(update!.body)).toHaveLength(3);
  });

  it('GIVEN a member clicks another option THEN their one ballot changes and the message follows', async () => {
    expect(blockTexts(await vote(PEOPLE.bob.id, 3))).toEqual(['Your vote on #1: Arequipa.']);
    expect((await ballotsOf(pollId)).filter((ballot) => ballot.userId === PEOPLE.bob.id)).toEqual([{ userId: PEOPLE.bob.id, choices: [3] }]);
    await settle();
    const texts = blockTexts(updates().at(-1)!.body);
    expect(texts).toContain('2. Cusco  ░░░░░░░░░░ 0 (0%)');
    expect(texts).toContain('3. Arequipa  ███░░░░░░░ 1 (33%)');
  });

  it('GIVEN a burst of 30 clicks THEN far fewer chat.update calls than clicks, and the last shows every vote', async () => {
    const before = updates().length;
    // Six waves of five clicks half a (fake) second apart, the scheduler ticking as cron would in between.
    for (let wave = 0; wave < 6; wave++) {
      const clicks = crowd.slice(wave * 5, wave * 5 + 5).map((person, i) => vote(person.id, ((wave * 5 + i) % 3) + 1));
      const tick = (async () => {
        advance(500);
        await scheduler.tick();
      })();
      const answers = await Promise.all([...clicks, tick]);
      expect(answers.slice(0, 5).every((answer) => answer?.response_type === 'ephemeral')).toBe(true);
    }
    await settle();

    const burst = updates().slice(before);
    expect(burst.length).toBeGreaterThanOrEqual(1);
    expect(burst.length).toBeLessThanOrEqual(crowd.length / 3);
    expect(await ballotsOf(pollId)).toHaveLength(33);
    // ana, rosa and 10 of the crowd chose Lima; 10 chose Cusco; bob and 10 chose Arequipa.
    expect(blockTexts(burst.at(-1)!.body)).toEqual([
      'Poll #1: Where do we meet?',
      'Choose one.',
      '1. Lima  ████░░░░░░ 12 (36%)',
      '2. Cusco  ███░░░░░░░ 10 (30%)',
      '3. Arequipa  ███░░░░░░░ 11 (33%)',
      'Turnout: 33 of 34 members (97%).\nTo vote: the buttons or menu here, or `vote 1 &lt;option&gt;`.',
    ]);
  });

  it('GIVEN a poll with eight options THEN it carries one menu instead of buttons, and a choice in it votes', async () => {
    const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Never'];
    await rig.command(`poll "Which day?" ${days.map((day) => `"${day}"`).join(' ')}`, as(PEOPLE.coord.id, 'C0DAYS'));
    const [posted] = postsTo('C0DAYS');
    const { id } = await pollNamed('Which day?');
    expect(blockTexts(posted!.body).filter((text) => /^\d\. /.test(text))).toHaveLength(8);
    const elements = blocksOf(posted!).flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []));
    expect(elements).toEqual([
      {
        type: 'static_select',
        action_id: SELECT_ACTION_ID,
        placeholder: { type: 'plain_text', text: 'Choose an option', emoji: true },
        options: days.map((day, i) => ({ text: { type: 'plain_text', text: day, emoji: true }, value: `poll.vote:${id}-${i + 1}` })),
      },
    ]);

    const answer = await rig.choose(SELECT_ACTION_ID, { text: 'Fri', value: `poll.vote:${id}-5` }, as(PEOPLE.ana.id, 'C0DAYS'));
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blockTexts(answer)).toEqual(['Your vote on #2: Fri.']);
    expect(await ballotsOf(id)).toEqual([{ userId: PEOPLE.ana.id, choices: [5] }]);
    await settle();
    const [ref] = await postedRefs(id);
    expect(blockTexts(updates(ref!.messageRef).at(-1)!.body)).toContain('5. Fri  ██████████ 1 (100%)');
  });

  it('GIVEN poll export THEN the CSV arrives as a file in the asker\'s direct messages, and the answer says so to the asker alone', async () => {
    const answer = await rig.command('poll export 2', as(PEOPLE.bob.id));
    expect(answer.response_type).toBe('ephemeral');
    expect(blockTexts(answer)).toEqual(['Poll #2: Which day?', 'I sent you poll-2.csv in a direct message.']);
    const [file] = rig.fake.uploadedFiles().filter((uploaded) => uploaded.filename === 'poll-2.csv');
    expect(file?.channel).toBe(rig.fake.dmChannelFor(PEOPLE.bob.id));
    expect(file?.content).toBe('number,option,votes\n1,Mon,0\n2,Tue,0\n3,Wed,0\n4,Thu,0\n5,Fri,1\n6,Sat,0\n7,Sun,0\n8,Never,0\n\nvoter,number,option\nana,5,Fri\n');
  });

  it('GIVEN poll export and an upload Slack refuses THEN the CSV shows, to the asker alone, as a code block', async () => {
    rig.fake.failNext('files.getUploadURLExternal', { error: 'missing_scope' });
    const answer = await rig.command('poll export 2', as(PEOPLE.bob.id));
    expect(answer.response_type).toBe('ephemeral');
    expect(blockTexts(answer)).toEqual([
      'Poll #2: Which day?',
      'I could not upload poll-2.csv as a file; here is its text instead.',
      '```\nnumber,option,votes\n1,Mon,0\n2,Tue,0\n3,Wed,0\n4,Thu,0\n5,Fri,1\n6,Sat,0\n7,Sun,0\n8,Never,0\n\nvoter,number,option\nana,5,Fri\n```',
    ]);
  });

  it('GIVEN poll close by someone else, then by its creator THEN only the creator closes it: the message loses its buttons and the outcome is posted', async () => {
    const refused = await rig.command('poll close 1', as(PEOPLE.bob.id));
    expect(blockTexts(refused)).toEqual([':warning: Only the poll\'s creator or a coordinator may do that.']);
    expect((await pollNamed('Where do we meet?')).status).toBe('open');

    const posts = postsTo(CHANNEL).length;
    const closed = await rig.command('poll close 1', as(PEOPLE.ana.id));
    expect(closed.response_type).toBe('ephemeral');
    expect(blockTexts(closed)).toEqual(['Poll #1 is closed.']);

    const frozen = updates().at(-1)!;
    expect(blocksOf(frozen).some((block) => block.type === 'actions')).toBe(false);
    expect(blockButtons(frozen.body)).toEqual([]);
    expect(blockTexts(frozen.body)).toEqual([
      'Poll #1: Where do we meet?',
      'Closed Fri, Nov 27, 12:00.',
      '1. Lima  ████░░░░░░ 12 (36%)',
      '2. Cusco  ███░░░░░░░ 10 (30%)',
      '3. Arequipa  ███░░░░░░░ 11 (33%)',
      'Turnout: 33 of 34 members (97%).\nOutcome: Lima, with 12 of 33 votes.',
    ]);
    const [outcome, ...others] = postsTo(CHANNEL).slice(posts);
    expect(others).toEqual([]);
    expect(blockTexts(outcome!.body)).toContain('Turnout: 33 of 34 members (97%).\nOutcome: Lima, with 12 of 33 votes.');
    expect(blocksOf(outcome!).some((block) => block.type === 'actions')).toBe(false);
  });

  it('GIVEN a click after close THEN the voter alone hears the poll is closed, and no ballot changes', async () => {
    const before = await ballotsOf(pollId);
    const edits = updates().length;
    const answer = await vote(PEOPLE.bob.id, 1);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blockTexts(answer)).toEqual([':warning: Poll #1 is closed and takes no more votes.']);
    expect(await ballotsOf(pollId)).toEqual(before);
    await settle();
    expect(updates()).toHaveLength(edits);
  });

  it('GIVEN the poll modal submitted THEN the poll is posted in the channel it was opened from', async () => {
    const { triggerId } = await rig.send('encuesta', as(PEOPLE.rosa.id, 'C0FORM'));
    const opened = await rig.fake.waitForCall('views.open', (call) => call.body.trigger_id === triggerId);
    const view = opened.body.view as { private_metadata: string };
    const ack = await rig.submit(
      'minga.form:poll.create',
      {
        question: { question: { type: 'plain_text_input', value: '¿Qué lema llevamos?' } },
        options: { options: { type: 'plain_text_input', value: 'Agua para todos\nNi una menos\n' } },
      },
      as(PEOPLE.rosa.id),
      view.private_metadata,
    );
    expect(ack.status).toBe(200);
    const { responseUrl } = JSON.parse(view.private_metadata) as { responseUrl: string };
    const answered = await rig.answer(decodeURIComponent(responseUrl.split('/response/')[1]!));
    expect(blockTexts(answered.body)).toEqual(['La encuesta #3 está publicada.']);
    const [posted] = postsTo('C0FORM');
    // What is posted for everyone speaks the alliance's language.
    expect(blockTexts(posted!.body).slice(0, 4)).toEqual([
      'Poll #3: ¿Qué lema llevamos?',
      'Choose one.',
      '1. Agua para todos  ░░░░░░░░░░ 0 (0%)',
      '2. Ni una menos  ░░░░░░░░░░ 0 (0%)',
    ]);
    expect(blockButtons(posted!.body).map((button) => button.text)).toEqual(['Agua para todos', 'Ni una menos']);
  });

  it('GIVEN an anonymous proposal THEN no message about it ever names a voter, while an open one names who blocked', async () => {
    const channelOf = { anonymous: 'C0ANON', open: 'C0OPEN' };
    for (const [which, flags] of [['anonymous', '--anon'], ['open', '']] as const) {
      const channel = channelOf[which];
      await rig.command(`proposal "We sign the ${which} letter" ${flags}`, as(PEOPLE.coord.id, channel));
      const { id, number } = await pollNamed(`We sign the ${which} letter`);
      await vote(PEOPLE.ana.id, 4, id);
      await vote(PEOPLE.bob.id, 1, id);
      await settle();
      await rig.command(`poll close ${number}`, as(PEOPLE.coord.id, channel));
    }
    /** Everything Minga posted or edited in a channel: notification texts and blocks. */
    const said = (channel: string) => {
      const calls = [...postsTo(channel), ...rig.fake.callsTo('chat.update').filter((call) => call.body.channel === channel)];
      expect(calls.length).toBeGreaterThanOrEqual(3); // the poll, its refresh and freeze, the outcome
      return JSON.stringify(calls.map((call) => [call.body.text, call.body.blocks]));
    };
    const anonymous = said(channelOf.anonymous);
    expect(anonymous).toContain('Anonymous: only counts are shown, never who chose what.');
    expect(anonymous).toContain('Outcome: blocked, with 1 block(s).');
    expect(anonymous).not.toMatch(/\bana\b|\bbob\b|U0ANA1|U0BOB1|Blocked by/i);
    expect(said(channelOf.open)).toContain('Blocked by: @ana.');
  });

  /** Clicks as `userId` on poll `id`, at a moment given in ms (the fake's action_ts says it to the microsecond). */
  const clicker =
    (userId: string, id: number, channel: string): Click =>
    async (position, actedMs) =>
      blockTexts(await rig.click(`poll.vote:${id}-${position}`, `${id}-${position}`, as(userId, channel), { actionTs: actionTsAt(actedMs * 1000 + 123) })).join('\n');

  it('GIVEN a member clicks A 15 times at once, then B, twenty times over THEN their ballot is B every time, in one row', async () => {
    await rig.command('poll "Last click wins?" "Alpha" "Beta"', as(PEOPLE.coord.id, 'C0RACE'));
    const { id, number } = await pollNamed('Last click wins?');
    await lastClickWins(clicker(PEOPLE.ana.id, id, 'C0RACE'), () => ballotsOf(id), { number }, PEOPLE.ana.id);
  }, BURSTS_TIMEOUT_MS);

  it('GIVEN a member toggles A 15 times at once, then B, ten times over, on a multiple-choice poll THEN the ballot is what B\'s receipt said', async () => {
    await rig.command('poll "Which tools?" "Alpha" "Beta" "Gamma" --multi', as(PEOPLE.coord.id, 'C0TOGGLE'));
    const { id, number } = await pollNamed('Which tools?');
    await lastToggleWins(clicker(PEOPLE.ana.id, id, 'C0TOGGLE'), () => ballotsOf(id), { number });
  }, BURSTS_TIMEOUT_MS);
});
