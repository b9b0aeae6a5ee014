// Hidden results stay hidden: until a poll that hides them closes, no command, button or posted message shows a member, its creator or a coordinator any count or choice (turnout may show); on PGlite and on the real server.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polls } from '../db/schema.js';
import { pollView } from '../src/polls.js';
import { replyTexts, type Reply } from '../src/reply.js';
import { requester, text } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { pollRig, type PollRig } from './support/polls.js';

/** A line that gives a result away: a bar, "2 (50%)", an outcome or a blocker's name. Turnout ("… members (75%).") is not one. */
const RESULT = /[█░]|\d+ \(\d+%\)$|Outcome|Blocked by|Resultado|Bloquean/;
const resultLines = (reply: Reply) => replyTexts(reply).filter((line) => RESULT.test(line));

describe.each(databaseTargets())('hidden results on %s', (kind) => {
  let database: TestDatabase;
  let rig: PollRig;
  let workspace = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) =>
    requester({ workspaceId: `hw-${workspace}`, userId, userName: userId, channelId: 'C1', ...extra });
  const conversation = () => `console:hw-${workspace}:C1`;
  /**
   * A new workspace: "coord" came first and coordinates; "ana" is a plain member who will create the poll, "bob" a plain
   * member, "eve" one more voter. Returns them by the part they play.
   */
  const next = async () => {
    workspace += 1;
    await rig.core.handleText('help', as('coord'));
    const roles = { member: as('bob'), creator: as('ana'), coordinator: as('coord') };
    for (const who of [roles.member, roles.creator, as('eve')]) await rig.core.handleText('help', who);
    return { ...roles, eve: as('eve') };
  };
  const pollRow = async (number: number) =>
    (await database.db.select().from(polls).where(eq(polls.number, number))).find((poll) => poll.conversation === conversation())!;
  /** Everything Minga posted or edited in this workspace's channel so far. */
  const channelMessages = () => [...rig.delivery.posts, ...rig.delivery.edits].filter((message) => message.conversation === conversation());
  /** Lets the coalesced refresh run, as cron would. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      rig.clock.advance(1000);
      await rig.scheduler.tick();
    }
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = pollRig(database.db);
  });
  afterAll(() => database.close());

  it('GIVEN an open poll with hidden results THEN results, list, export and suggestions show a member, its creator and a coordinator the turnout and no count; receipts show only their own choice', async () => {
    const { member, creator, coordinator, eve } = await next();
    await rig.core.handleText('poll "Where do we meet?" "Lima" "Cusco" "Arequipa" --hide-results', creator);
    const [lima, cusco] = rig.delivery.posts.at(-1)!.reply.buttons!;
    expect(text(await rig.core.handleText('vote 1 Lima', member))).toBe('Your vote on #1: Lima.');
    expect(text(await rig.core.handleAction(cusco!.action, cusco!.value, coordinator))).toBe('Your vote on #1: Cusco.');
    expect(text(await rig.core.handleAction(lima!.action, lima!.value, creator))).toBe('Your vote on #1: Lima.');
    expect(text(await rig.core.handleText('vote 1 3', eve))).toBe('Your vote on #1: Arequipa.');

    for (const who of [member, creator, coordinator]) {
      expect(replyTexts(await rig.core.handleText('poll results 1', who))).toEqual([
        'Poll #1: Where do we meet?',
        'Choose one.',
        'Results are shown when the poll closes.',
        '1. Lima',
        '2. Cusco',
        '3. Arequipa',
        'Turnout: 4 of 4 members (100%).',
        'To vote: the buttons or menu here, or `vote 1 <option>`.',
      ]);
      const exported = await rig.core.handleText('poll export 1', who);
      expect(exported.error).toBe(true);
      expect(exported.file).toBeUndefined();
      expect(text(exported)).toBe(
        'Poll #1 hides its results until it closes, from everyone (its creator and coordinators too), so there is nothing to export yet. `poll results 1` shows the turnout.',
      );
      expect(replyTexts(await rig.core.handleText('poll list', who))).toEqual(['Polls', '#1 Where do we meet? · open']);
      expect(await rig.core.suggestPolls(who, '1')).toEqual([
        { number: 1, question: 'Where do we meet?', options: ['Lima', 'Cusco', 'Arequipa'].map((label, i) => ({ position: i + 1, label })) },
      ]);
    }
    expect(text(await rig.core.handleText('encuesta exportar 1', { ...member, platformLocale: 'es' }))).toBe(
      'La encuesta #1 oculta sus resultados hasta que cierre, a todas las personas (también a quien la creó y a la coordinación), así que aún no hay nada que exportar. `encuesta resultados 1` muestra la participación.',
    );
  });

  it('GIVEN votes on an open poll with hidden results THEN its posted message and every refresh show the turnout and no count, until it closes', async () => {
    const { member, creator, coordinator, eve } = await next();
    await rig.core.handleText('poll "Which day?" "Mon" "Tue" --hide-results', creator);
    for (const [who, choice] of [[member, 1], [coordinator, 1], [eve, 2]] as const) {
      await rig.core.handleText(`vote 1 ${choice}`, who);
      await settle();
    }
    const whileOpen = channelMessages();
    expect(whileOpen.length).toBeGreaterThanOrEqual(4); // the post and a refresh per vote
    expect(whileOpen.flatMap(({ reply }) => resultLines(reply))).toEqual([]);
    expect(replyTexts(rig.delivery.edits.at(-1)!.reply)).toEqual([
      'Poll #1: Which day?',
      'Choose one.',
      'Results are shown when the poll closes.',
      '1. Mon',
      '2. Tue',
      'Turnout: 3 of 4 members (75%).',
      'To vote: the buttons or menu here, or `vote 1 <option>`.',
    ]);

    // Only the creator or a coordinator may close it, and a refusal gives nothing away either.
    const refused = await rig.core.handleText('poll close 1', member);
    expect(text(refused)).toBe("Only the poll's creator or a coordinator may do that.");
    expect(text(await rig.core.handleText('poll close 1', creator))).toBe('Poll #1 is closed.');
    const outcome = rig.delivery.posts.at(-1)!;
    expect(outcome.conversation).toBe(conversation());
    expect(replyTexts(outcome.reply)).toEqual(expect.arrayContaining(['1. Mon  ███████░░░ 2 (67%)', 'Outcome: Mon, with 2 of 3 votes.']));
    expect(replyTexts(rig.delivery.edits.at(-1)!.reply)).toContain('Outcome: Mon, with 2 of 3 votes.');
  });

  it('GIVEN a hidden-results poll with no channel THEN neither its creation nor a coordinator\'s results show counts; its close reply does', async () => {
    const { member, creator, coordinator } = await next();
    const noChannel = (who: ReturnType<typeof as>) => ({ ...who, channelId: undefined });
    expect(resultLines(await rig.core.handleText('poll "Direct?" "Yes" "No" --hide-results', noChannel(creator)))).toEqual([]);
    await rig.core.handleText('vote 1 yes', noChannel(member));
    for (const who of [member, creator, coordinator]) expect(resultLines(await rig.core.handleText('poll results 1', noChannel(who)))).toEqual([]);
    const closed = await rig.core.handleText('poll close 1', noChannel(coordinator));
    expect(replyTexts(closed)).toEqual(expect.arrayContaining(['1. Yes  ██████████ 1 (100%)', 'Outcome: Yes, with 1 of 1 votes.']));
  });

  it('GIVEN a proposal with hidden results and a block THEN nobody learns of the block or who blocked until it closes; then the outcome names them', async () => {
    const { member, creator, coordinator, eve } = await next();
    await rig.core.handleText('proposal "We sign the joint letter" --hide-results', creator);
    await rig.core.handleText('vote 1 block', member);
    await rig.core.handleText('vote 1 agree', eve);
    await settle();

    // The view every renderer starts from carries neither counts nor names: no renderer can show what it was not given.
    const view = await pollView(database.db, await pollRow(1));
    expect(view).toMatchObject({ counts: null, blockers: [], voters: 2, members: 4 });
    for (const who of [member, creator, coordinator]) {
      const results = await rig.core.handleText('poll results 1', who);
      expect(resultLines(results)).toEqual([]);
      expect(JSON.stringify(results)).not.toMatch(/\bbob\b/);
      expect((await rig.core.handleText('poll export 1', who)).error).toBe(true);
    }
    expect(channelMessages().flatMap(({ reply }) => resultLines(reply))).toEqual([]);

    await rig.core.handleText('poll close 1', coordinator);
    expect(replyTexts(rig.delivery.posts.at(-1)!.reply)).toEqual(expect.arrayContaining(['Outcome: blocked, with 1 block(s).', 'Blocked by: @bob.']));
    expect((await pollView(database.db, await pollRow(1))).blockers).toEqual(['@bob']);
  });

  it('GIVEN a closed poll that hid its results THEN everyone sees the counts, and its export names voters; an anonymous one\'s export names nobody', async () => {
    const { member, creator, coordinator } = await next();
    await rig.core.handleText('poll "Named?" "A" "B" --hide-results', creator);
    await rig.core.handleText('poll "Secret?" "A" "B" --hide-results --anon', creator);
    for (const number of [1, 2]) {
      await rig.core.handleText(`vote ${number} A`, member);
      await rig.core.handleText(`vote ${number} B`, coordinator);
      expect((await rig.core.handleText(`poll export ${number}`, creator)).error).toBe(true);
      await rig.core.handleText(`poll close ${number}`, creator);
    }
    for (const who of [member, creator, coordinator]) {
      expect(replyTexts(await rig.core.handleText('poll results 1', who))).toContain('1. A  █████░░░░░ 1 (50%)');
      expect((await rig.core.handleText('poll export 1', who)).file?.content).toBe('number,option,votes\n1,A,1\n2,B,1\n\nvoter,number,option\nbob,1,A\ncoord,2,B\n');
      expect((await rig.core.handleText('poll export 2', who)).file?.content).toBe('number,option,votes\n1,A,1\n2,B,1\n');
    }
  });

  it('GIVEN an open anonymous poll that shows its results THEN its export has the counts and names nobody, whoever asks', async () => {
    const { member, creator, coordinator } = await next();
    await rig.core.handleText('poll "Open secret?" "A" "B" --anon', creator);
    await rig.core.handleText('vote 1 A', member);
    for (const who of [member, creator, coordinator]) {
      expect((await rig.core.handleText('poll export 1', who)).file?.content).toBe('number,option,votes\n1,A,1\n2,B,0\n');
    }
    expect(await pollRow(1)).toMatchObject({ anonymous: true, hideResults: false, status: 'open' });
  });
});
