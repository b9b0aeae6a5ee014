// Polls on Discord at the wire: the real discord.js client against the fake Discord, the real core and its scheduler wired as in src/app.ts, on a movable clock.
import { and, eq } from 'drizzle-orm';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polls, postedMessages, workspaces } from '../../db/schema.js';
import type { Adapter } from '../../src/adapter.js';
import { createDelivery } from '../../src/delivery.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { snowflakeAt, type FakeUser, type Json } from '../fakes/discord.js';
import { BURSTS_TIMEOUT_MS, lastClickWins, lastToggleWins, type Click } from '../support/bursts.js';
import { FIXED_NOW, type TestCore } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { pollBallots, wirePolls } from '../support/polls.js';
import { APP_ID, componentsOf, GUILDS, isEphemeral, PEOPLE, said, startDiscordRig, visibleText, WAIT_MS, type DiscordRig } from '../support/discord.js';

const EPHEMERAL = MessageFlags.Ephemeral;
const HOUR = 3_600_000;
const CHANNEL = GUILDS.main.channels[0]!.id;

/** Members who click in the burst: 30 more people in the main server. */
const crowd: FakeUser[] = Array.from({ length: 30 }, (_, i) => ({ id: `93000000000000${String(i).padStart(4, '0')}`, username: `crowd${i}` }));

describe.each(databaseTargets())('polls on Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;
  let scheduler: Scheduler;
  let core: TestCore;
  const clock = { now: new Date(FIXED_NOW) };
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  /** The poll message in the channel, as Minga posted it. */
  let pollRef = '';
  let pollId = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const adapters: Adapter[] = [];
    const now = () => clock.now;
    const wired = wirePolls(database.db, now, createDelivery(() => adapters));
    scheduler = wired.scheduler;
    core = wired.core;
    rig = await startDiscordRig(core);
    adapters.push(rig.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  /** A click on one of the poll's vote buttons, on the poll message, as `user`. */
  const vote = (user: FakeUser, position: number, extra: { locale?: string; guildId?: string; poll?: number } = {}) =>
    rig.exchange(
      rig.fake.buttonInteraction({
        user,
        customId: `poll.vote:${extra.poll ?? pollId}-${position}`,
        ...(pollRef && { messageId: pollRef }),
        ...(extra.locale && { locale: extra.locale }),
        ...(extra.guildId && { guildId: extra.guildId }),
      }),
    );
  const edits = () => rig.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${CHANNEL}/messages/${pollRef}`);
  /** Time passes and the scheduler ticks, so the coalesced refresh goes out. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      advance(1000);
      await scheduler.tick();
    }
  };
  const ballotsOf = (id: number) => pollBallots(database.db, id);
  const pollsOf = (guildId: string) =>
    database.db
      .select({ id: polls.id, number: polls.number, status: polls.status })
      .from(polls)
      .innerJoin(workspaces, eq(workspaces.allianceId, polls.allianceId))
      .where(and(eq(workspaces.platform, 'discord'), eq(workspaces.externalId, guildId)))
      .orderBy(polls.number);

  it('GIVEN poll create THEN the poll is posted to the channel as an embed with a vote button per option, and its message id is kept', async () => {
    await rig.slash('help', {}, { user: PEOPLE.coord }); // the first member coordinates the alliance
    const posts = rig.fake.messagesPosted().length;
    const { callback } = await rig.slash('poll create', { question: 'Where do we meet?', option1: 'Lima', option2: 'Cusco', option3: 'Arequipa' }, { user: PEOPLE.ana });
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toBe('Poll #1 is posted.');

    const [posted, ...others] = rig.fake.messagesPosted().slice(posts);
    expect(others).toEqual([]);
    expect(posted!.path).toBe(`/channels/${CHANNEL}/messages`);
    expect(posted!.body.embeds[0].title).toBe('Poll #1: Where do we meet?');
    expect(visibleText(posted!.body)).toContain('1. Lima  ░░░░░░░░░░ 0 (0%)');
    pollId = (await pollsOf(GUILDS.main.id))[0]!.id;
    expect(componentsOf(posted!.body).map((c: Json) => [c.label, c.custom_id])).toEqual([
      ['Lima', `poll.vote:${pollId}-1`],
      ['Cusco', `poll.vote:${pollId}-2`],
      ['Arequipa', `poll.vote:${pollId}-3`],
    ]);
    const stored = await database.db.select().from(postedMessages).where(eq(postedMessages.subject, `poll:${pollId}`));
    expect(stored.map((row) => row.conversation)).toEqual([`discord:${GUILDS.main.id}:${CHANNEL}`]);
    pollRef = stored[0]!.messageRef;
    expect(rig.fake.message(pollRef)).toMatchObject({ embeds: [{ title: 'Poll #1: Where do we meet?' }] });
  });

  it('GIVEN several members click THEN each gets a private receipt, nothing is posted, and the refresh edits the poll message', async () => {
    const posts = rig.fake.messagesPosted().length;
    const before = edits().length;
    for (const [user, position] of [[PEOPLE.ana, 1], [PEOPLE.lucia, 2], [PEOPLE.bob, 1]] as const) {
      const { callback } = await vote(user, position);
      expect(callback.body.type).toBe(4);
      expect(isEphemeral(callback)).toBe(true);
      expect(said(callback)).toBe(`Your vote on #1: ${position === 1 ? 'Lima' : 'Cusco'}.`);
    }
    expect(rig.fake.messagesPosted().length).toBe(posts);
    expect(await ballotsOf(pollId)).toHaveLength(3);

    await settle();
    const made = edits().slice(before);
    expect(made).toHaveLength(1);
    expect(visibleText(made[0]!.body)).toContain('1. Lima  ███████░░░ 2 (67%)');
    expect(componentsOf(made[0]!.body)).toHaveLength(3);
  });

  it('GIVEN a burst of 30 clicks THEN far fewer edits than clicks, and the last edit shows every vote', async () => {
    const before = edits().length;
    // Six waves of five concurrent clicks, the clock moving 200 ms and the scheduler ticking after each.
    for (let wave = 0; wave < 6; wave++) {
      const clicks = crowd.slice(wave * 5, wave * 5 + 5).map((user, i) => vote(user, ((wave * 5 + i) % 3) + 1));
      const answers = await Promise.all(clicks);
      expect(answers.every(({ callback }) => isEphemeral(callback) && said(callback).startsWith('Your vote on #1'))).toBe(true);
      advance(200);
      await scheduler.tick();
    }
    await settle();
    const made = edits().slice(before);
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThanOrEqual(crowd.length / 10);
    const last = visibleText(made.at(-1)!.body);
    expect(last).toContain('1. Lima  ████░░░░░░ 12 (36%)');
    expect(last).toContain('2. Cusco  ███░░░░░░░ 11 (33%)');
    expect(last).toContain('3. Arequipa  ███░░░░░░░ 10 (30%)');
    expect(last).toContain('Turnout: 33 of 34 members (97%).');
    expect(await ballotsOf(pollId)).toHaveLength(33);
  });

  it('GIVEN a member clicks another option THEN their one ballot changes, and the poll shows it', async () => {
    const { callback } = await vote(PEOPLE.ana, 2);
    expect(said(callback)).toBe('Your vote on #1: Cusco.');
    const mine = (await ballotsOf(pollId)).filter((row) => row.userId === PEOPLE.ana.id);
    expect(mine).toEqual([{ userId: PEOPLE.ana.id, choices: [2] }]);
    await settle();
    const last = visibleText(edits().at(-1)!.body);
    expect(last).toContain('1. Lima  ███░░░░░░░ 11 (33%)');
    expect(last).toContain('2. Cusco  ████░░░░░░ 12 (36%)');
  });

  it('GIVEN a click while the core is slow (the adapter deferring at once) THEN the deferral is private too, then edited with the receipt', async () => {
    const deferring = await startDiscordRig(core, { deferAfterMs: 0 });
    try {
      const payload = deferring.fake.buttonInteraction({ user: PEOPLE.ana, customId: `poll.vote:${pollId}-2` });
      const { callback } = await deferring.exchange(payload);
      expect(callback.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
      const receipt = await deferring.fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${payload.token}/messages/@original`, WAIT_MS);
      expect(visibleText(receipt.body)).toBe('Your vote on #1: Cusco.');
      expect(deferring.fake.messagesPosted()).toEqual([]);
    } finally {
      await deferring.stop();
    }
  });

  it('GIVEN a Spanish-speaking member THEN votes, suggestions, lists and errors come in Spanish', async () => {
    const sofia = { id: '930000000000009001', username: 'sofia' };
    const spanish = { user: sofia, locale: 'es-419' };
    const clicked = await vote(sofia, 3, { locale: 'es-419' });
    expect(said(clicked.callback)).toBe('Tu voto en #1: Arequipa.');

    const listed = await rig.slash('poll list', {}, spanish);
    expect(isEphemeral(listed.callback)).toBe(true);
    expect(said(listed.callback)).toMatch(/^Encuestas\n#1 Where do we meet\? · abierta/);

    const duplicate = await rig.slash('poll create', { question: '¿Cuándo?', option1: 'Lunes', option2: 'lunes' }, spanish);
    expect(isEphemeral(duplicate.callback)).toBe(true);
    expect(said(duplicate.callback)).toBe('La opción «lunes» aparece dos veces.');
    const late = await rig.slash('poll create', { question: '¿Cuándo?', option1: 'Lunes', option2: 'Martes', closes: 'ayer' }, spanish);
    expect(said(late.callback)).toMatch(/^Ese plazo \(.*\) ya pasó\.$/);
    expect(await pollsOf(GUILDS.main.id)).toHaveLength(1);
  });

  it('GIVEN a poll number or an option being typed THEN autocomplete offers open polls, then that poll\'s options', async () => {
    const polls = await rig.autocomplete('poll vote', 'poll', '');
    expect(polls.callback.body).toEqual({ type: 8, data: { choices: [{ name: '#1 Where do we meet?', value: 1 }] } });

    const payload = rig.fake.autocompleteInteraction({
      user: PEOPLE.lucia,
      options: [{ name: 'poll', type: 2, options: [{ name: 'vote', type: 1, options: [{ name: 'poll', type: 4, value: 1 }, { name: 'option', type: 3, value: 'cu', focused: true }] }] }],
    });
    const options = await rig.exchange(payload);
    expect(options.callback.body).toEqual({ type: 8, data: { choices: [{ name: '2. Cusco', value: '2' }] } });

    const voted = await rig.slash('poll vote', { poll: 1, option: '2' }, { user: PEOPLE.lucia });
    expect(isEphemeral(voted.callback)).toBe(true);
    expect(said(voted.callback)).toBe('Your vote on #1: Cusco.');
  });

  it('GIVEN poll close THEN only the creator or a coordinator may; then the message is frozen without buttons and the outcome is posted', async () => {
    const refused = await rig.slash('poll close', { poll: 1 }, { user: PEOPLE.bob });
    expect(isEphemeral(refused.callback)).toBe(true);
    expect(said(refused.callback)).toBe("Only the poll's creator or a coordinator may do that.");

    const posts = rig.fake.messagesPosted().length;
    const before = edits().length;
    const { callback } = await rig.slash('poll close', { poll: 1 }, { user: PEOPLE.ana });
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toBe('Poll #1 is closed.');

    const frozen = edits().slice(before).at(-1)!;
    expect(frozen.body.components).toEqual([]);
    expect(visibleText(frozen.body)).toContain('Outcome: Cusco, with 12 of 34 votes.');
    expect(rig.fake.message(pollRef)).toMatchObject({ components: [] });
    const [outcome, ...others] = rig.fake.messagesPosted().slice(posts);
    expect(others).toEqual([]);
    expect(outcome!.path).toBe(`/channels/${CHANNEL}/messages`);
    expect(visibleText(outcome!.body)).toContain('Outcome: Cusco, with 12 of 34 votes.');
    expect(outcome!.body.components).toEqual([]);
  });

  it('GIVEN a click after close THEN it is refused privately and no ballot changes', async () => {
    const before = await ballotsOf(pollId);
    const edited = edits().length;
    const { callback } = await vote(PEOPLE.bob, 3);
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toBe('Poll #1 is closed and takes no more votes.');
    await settle();
    expect(await ballotsOf(pollId)).toEqual(before);
    expect(edits().length).toBe(edited);
  });

  it('GIVEN a forged custom_id naming another server\'s poll THEN it is refused privately and that poll gets no ballot', async () => {
    await rig.slash('poll create', { question: 'Ajena', option1: 'Sí', option2: 'No' }, { guildId: GUILDS.other.id, user: PEOPLE.bob });
    const [foreign] = await pollsOf(GUILDS.other.id);
    const { callback } = await vote(PEOPLE.ana, 1, { poll: foreign!.id });
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toBe('There is no poll #? in this alliance.');
    expect(await ballotsOf(foreign!.id)).toEqual([]);
  });

  it('GIVEN an anonymous proposal with a deadline THEN slash votes count, the export is a private CSV, and the deadline closes it by itself', async () => {
    const created = await rig.slash('poll proposal', { text: 'We sign the joint letter', anonymous: true, closes: 'in 2 hours' }, { user: PEOPLE.coord });
    expect(said(created.callback)).toBe('Poll #2 is posted.');
    const posted = rig.fake.messagesPosted().at(-1)!;
    expect(posted.body.embeds[0].title).toBe('Proposal #2: We sign the joint letter');
    expect(visibleText(posted.body)).toContain('Anonymous: only counts are shown, never who chose what.');
    expect(componentsOf(posted.body).map((c: Json) => [c.label, c.style])).toEqual([['Agree', 1], ['Abstain', 2], ['Disagree', 2], ['Block', 4]]);

    expect(said((await rig.slash('poll vote', { poll: 2, option: 'de acuerdo' }, { user: PEOPLE.lucia })).callback)).toBe('Your vote on #2: Agree.');
    const exported = await rig.slash('poll export', { poll: 2 }, { user: PEOPLE.coord });
    expect(isEphemeral(exported.callback)).toBe(true);
    // The file itself travels in another part of the multipart body; the CSV's content is the core's (test/polls.test.ts).
    expect(exported.callback.body.data.attachments).toHaveLength(1);

    const [, proposal] = await pollsOf(GUILDS.main.id);
    const [message] = await database.db.select().from(postedMessages).where(eq(postedMessages.subject, `poll:${proposal!.id}`));
    const posts = rig.fake.messagesPosted().length;
    advance(3 * HOUR);
    await scheduler.tick();
    await scheduler.tick();
    expect((await pollsOf(GUILDS.main.id))[1]).toMatchObject({ status: 'closed' });
    const frozen = rig.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${CHANNEL}/messages/${message!.messageRef}`).at(-1)!;
    expect(frozen.body.components).toEqual([]);
    expect(visibleText(rig.fake.messagesPosted().slice(posts)[0]!.body)).toContain('Outcome: agreed (1 agree, 0 abstain, 0 disagree).');
  });

  /** Clicks as `user` on poll `id`, at a moment given in ms: the interaction's id is a snowflake made then, as Discord makes them. */
  const clicker =
    (user: FakeUser, id: number): Click =>
    async (position, actedMs) =>
      said((await rig.exchange(rig.fake.buttonInteraction({ user, customId: `poll.vote:${id}-${position}`, id: snowflakeAt(actedMs) }))).callback);
  /** The newest poll of the main server. */
  const newestPoll = async () => (await pollsOf(GUILDS.main.id)).at(-1)!;

  it('GIVEN a member clicks A 15 times at once, then B, twenty times over THEN their ballot is B every time, in one row', async () => {
    await rig.slash('poll create', { question: 'Last click wins?', option1: 'Alpha', option2: 'Beta' }, { user: PEOPLE.coord });
    const { id, number } = await newestPoll();
    await lastClickWins(clicker(PEOPLE.ana, id), () => ballotsOf(id), { number }, PEOPLE.ana.id);
  }, BURSTS_TIMEOUT_MS);

  it('GIVEN a member toggles A 15 times at once, then B, ten times over, on a multiple-choice poll THEN the ballot is what B\'s receipt said', async () => {
    await rig.slash('poll create', { question: 'Which tools?', option1: 'Alpha', option2: 'Beta', option3: 'Gamma', multi: 3 }, { user: PEOPLE.coord });
    const { id, number } = await newestPoll();
    await lastToggleWins(clicker(PEOPLE.ana, id), () => ballotsOf(id), { number });
  }, BURSTS_TIMEOUT_MS);
});
