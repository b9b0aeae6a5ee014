// Polls and proposals end to end through the core and its scheduler, on PGlite and on the real server.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, ballots, members, polls, postedMessages } from '../db/schema.js';
import { replyTexts, type Reply } from '../src/reply.js';
import { createTestCore, requester, text } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { pollRig, wirePolls, type PollRig } from './support/polls.js';

const HOUR = 3_600_000;

describe.each(databaseTargets())('polls on %s', (kind) => {
  let database: TestDatabase;
  let rig: PollRig;
  let workspace = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) =>
    requester({ workspaceId: `pw-${workspace}`, userId, userName: userId, channelId: 'C1', ...extra });
  /** A new workspace whose coordinator is "coord"; returns the requesters. */
  const next = async () => {
    workspace += 1;
    await rig.core.handleText('help', as('coord'));
    return { coord: as('coord'), ana: as('ana'), bob: as('bob') };
  };
  const lastPost = () => rig.delivery.posts.at(-1)!.reply;
  const pollId = async (number: number) =>
    (await database.db.select().from(polls).where(eq(polls.number, number))).find((poll) => poll.conversation?.includes(`pw-${workspace}`))!.id;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = pollRig(database.db);
  });
  afterAll(() => database.close());

  it('GIVEN a poll started in a channel THEN it is posted there with a button per option, and the creator is told', async () => {
    const { coord } = await next();
    const reply = await rig.core.handleText('poll "Where do we meet?" "Lima" "Cusco" "Arequipa"', coord);
    expect(text(reply)).toBe('Poll #1 is posted.');
    const post = rig.delivery.posts.at(-1)!;
    expect(post.conversation).toBe(`console:pw-${workspace}:C1`);
    expect(post.reply.heading).toBe('Poll #1: Where do we meet?');
    expect(post.reply.buttons?.map((button) => [button.label, button.action])).toEqual([
      ['Lima', 'poll.vote'],
      ['Cusco', 'poll.vote'],
      ['Arequipa', 'poll.vote'],
    ]);
    const stored = await database.db.select().from(postedMessages).where(eq(postedMessages.conversation, post.conversation));
    expect(stored.map((row) => row.messageRef)).toEqual([post.ref]);
  });

  it('GIVEN the platform refuses the post (Minga not in the channel) THEN the creator is told, not "posted"', async () => {
    const { coord } = await next();
    const post = rig.delivery.post;
    rig.delivery.post = () => Promise.reject(new Error('not_in_channel'));
    try {
      const reply = await rig.core.handleText('poll "Hidden?" "A" "B"', coord);
      expect(text(reply)).toMatch(/^Poll #1 is created, but I could not post it in this channel yet/);
    } finally {
      rig.delivery.post = post;
    }
  });

  it('GIVEN votes by text, label and click, and changes of mind THEN each member has one ballot, counted once', async () => {
    const { coord, ana, bob } = await next();
    await rig.core.handleText('poll "Where?" "Lima" "Cusco"', coord);
    expect(text(await rig.core.handleText('vote 1 1', ana))).toBe('Your vote on #1: Lima.');
    expect(text(await rig.core.handleText('votar 1 cusco', ana))).toBe('Your vote on #1: Cusco.');
    const button = lastPost().buttons![0]!;
    expect(text(await rig.core.handleAction(button.action, button.value, bob))).toBe('Your vote on #1: Lima.');
    expect(text(await rig.core.handleAction(button.action, button.value, bob))).toBe('Your vote on #1: Lima.');
    const rows = await database.db.select().from(ballots).where(eq(ballots.pollId, await pollId(1)));
    expect(rows.map((row) => row.choices).sort()).toEqual([[1], [2]]);
    const results = await rig.core.handleText('poll results 1', ana);
    expect(replyTexts(results)).toContain('1. Lima  █████░░░░░ 1 (50%)');
    expect(replyTexts(results)).toContain('Turnout: 2 of 3 members (67%).');
  });

  it('GIVEN a multiple-choice poll THEN clicks toggle options within the maximum and the last one withdraws the vote', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('poll "Which days?" "Mon" "Tue" "Wed" --multi=2', coord);
    const [mon, tue, wed] = lastPost().buttons!;
    const click = (button: typeof mon) => rig.core.handleAction(button!.action, button!.value, ana);
    expect(text(await click(mon))).toBe('Your vote on #1: Mon.');
    expect(text(await click(tue))).toBe('Your vote on #1: Mon, Tue.');
    expect(text(await click(wed))).toBe('Poll #1 allows up to 2 choice(s).');
    expect(text(await click(mon))).toBe('Your vote on #1: Tue.');
    expect(text(await click(tue))).toBe('You have no choice left on #1; your vote is withdrawn.');
    expect(await database.db.select().from(ballots).where(eq(ballots.pollId, await pollId(1)))).toMatchObject([{ choices: [] }]);
    expect(text(await rig.core.handleText('vote 1 1 2 3', ana))).toBe('Poll #1 allows up to 2 choice(s).');
    expect(text(await rig.core.handleText('vote 1 9', ana))).toBe('Poll #1 has no option "9".');
  });

  /** A moment in microseconds since the epoch, as adapters give when a member acted: 2027-01-15 08:00 UTC, plus `us`. */
  const moment = (us: number) => 1_800_000_000_000_000 + us;

  it.each([['open', ''], ['anonymous', ' --anon']])(
    'GIVEN changes of mind arriving out of the order they were made, on an %s poll THEN the one made last counts, and an outdated one is told the ballot as it stands',
    async (_, flag) => {
      const { coord, ana } = await next();
      await rig.core.handleText(`poll "Where?" "Lima" "Cusco"${flag}`, coord);
      const at = (us: number) => ({ ...ana, actedAt: moment(us) });
      expect(text(await rig.core.handleText('vote 1 Cusco', at(20)))).toBe('Your vote on #1: Cusco.');
      expect(text(await rig.core.handleText('vote 1 Lima', at(10)))).toBe('Your vote on #1: Cusco.');
      // A tie is no newer: the same change delivered twice, or a second one within the platform's precision, is ignored.
      expect(text(await rig.core.handleText('vote 1 Lima', at(20)))).toBe('Your vote on #1: Cusco.');
      expect(text(await rig.core.handleText('vote 1 Lima', at(21)))).toBe('Your vote on #1: Lima.');
      const rows = await database.db.select().from(ballots).where(eq(ballots.pollId, await pollId(1)));
      expect(rows.map((row) => row.choices)).toEqual([[1]]);
      const results = await rig.core.handleText('poll results 1', coord);
      expect(replyTexts(results)).toContain('1. Lima  ██████████ 1 (100%)');
    },
  );

  it('GIVEN toggles arriving out of order on a multiple-choice poll THEN an outdated one neither adds, removes, withdraws nor errs, and a repeated one toggles once', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('poll "Which days?" "Mon" "Tue" "Wed" --multi=2', coord);
    const [mon, tue, wed] = lastPost().buttons!;
    const click = (button: typeof mon, us: number) => rig.core.handleAction(button!.action, button!.value, { ...ana, actedAt: moment(us) });
    const stored = async () => (await database.db.select().from(ballots).where(eq(ballots.pollId, await pollId(1)))).map((row) => row.choices);
    expect(text(await click(mon, 10))).toBe('Your vote on #1: Mon.');
    expect(text(await click(tue, 20))).toBe('Your vote on #1: Mon, Tue.');
    expect(text(await click(tue, 20))).toBe('Your vote on #1: Mon, Tue.');
    expect(text(await click(wed, 15))).toBe('Your vote on #1: Mon, Tue.');
    expect(text(await click(mon, 12))).toBe('Your vote on #1: Mon, Tue.');
    expect(text(await click(wed, 21))).toBe('Poll #1 allows up to 2 choice(s).');
    expect(text(await click(mon, 30))).toBe('Your vote on #1: Tue.');
    expect(text(await click(tue, 25))).toBe('Your vote on #1: Tue.');
    expect(await stored()).toEqual([[2]]);
    expect(text(await click(tue, 40))).toBe('You have no choice left on #1; your vote is withdrawn.');
    // A click made before the withdrawal, arriving after it, does not bring the vote back.
    expect(text(await click(wed, 35))).toBe('You have no choice left on #1; your vote is withdrawn.');
    expect(await stored()).toEqual([[]]);
    expect(replyTexts(await rig.core.handleText('poll results 1', coord)).join('\n')).toContain('0 of');
    expect(text(await click(wed, 41))).toBe('Your vote on #1: Wed.');
    expect(await stored()).toEqual([[3]]);
  });

  it('GIVEN a close THEN only its creator or a coordinator may, the outcome is posted once, the message loses its buttons, and later votes are refused', async () => {
    const { coord, ana, bob } = await next();
    await rig.core.handleText('poll "Lunch?" "Pizza" "Tacos"', ana);
    await rig.core.handleText('vote 1 Tacos', bob);
    const button = lastPost().buttons![0]!;
    expect(text(await rig.core.handleText('poll close 1', bob))).toBe("Only the poll's creator or a coordinator may do that.");
    const posts = rig.delivery.posts.length;
    expect(text(await rig.core.handleText('poll close 1', coord))).toBe('Poll #1 is closed.');
    expect(rig.delivery.posts.length).toBe(posts + 1);
    expect(replyTexts(lastPost())).toContain('Outcome: Tacos, with 1 of 1 votes.');
    expect(rig.delivery.edits.at(-1)!.reply.buttons).toBeUndefined();
    expect(text(await rig.core.handleText('poll close 1', ana))).toBe('Poll #1 is already closed.');
    expect(text(await rig.core.handleText('vote 1 Pizza', ana))).toBe('Poll #1 is closed and takes no more votes.');
    expect(text(await rig.core.handleAction(button.action, button.value, ana))).toBe('Poll #1 is closed and takes no more votes.');
    await rig.scheduler.tick();
    expect(rig.delivery.posts.length).toBe(posts + 1);
  });

  it('GIVEN hidden results THEN counts appear only once the poll is closed', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('encuesta "¿Sede?" "Lima" "Cusco" --ocultar-resultados', coord);
    await rig.core.handleText('vote 1 1', ana);
    const during = replyTexts(await rig.core.handleText('poll results 1', ana));
    expect(during).toContain('1. Lima');
    expect(during).toContain('Results are shown when the poll closes.');
    await rig.core.handleText('poll close 1', coord);
    expect(replyTexts(await rig.core.handleText('poll results 1', ana))).toContain('1. Lima  ██████████ 1 (100%)');
  });

  it('GIVEN a proposal with a block THEN the outcome names the blocker; a tie is named a tie', async () => {
    const { coord, ana, bob } = await next();
    await rig.core.handleText('proposal "We sign the joint letter"', coord);
    await rig.core.handleText('vote 1 agree', ana);
    await rig.core.handleText('votar 1 bloqueo', bob);
    await rig.core.handleText('poll close 1', coord);
    expect(replyTexts(lastPost())).toEqual(expect.arrayContaining(['Outcome: blocked, with 1 block(s).', 'Blocked by: @bob.']));
    await rig.core.handleText('poll "Tie?" "A" "B"', coord);
    await rig.core.handleText('vote 2 A', ana);
    await rig.core.handleText('vote 2 B', bob);
    await rig.core.handleText('poll close 2', coord);
    expect(replyTexts(lastPost())).toContain('Outcome: a tie between A / B, with 1 votes each.');
  });

  it('GIVEN an anonymous poll THEN no ballot row, log line or export links a member to a choice, yet they can change their vote', async () => {
    const { coord } = await next();
    const voter = as('U-SECRET-ANA', { userName: 'secret-ana' });
    await rig.core.handleText('proposal "Anonymous?" --anon', coord);
    await rig.core.handleText('vote 1 block', voter);
    await rig.core.handleText('vote 1 agree', voter);
    const [member] = await database.db.select().from(members).where(eq(members.platformUserId, 'U-SECRET-ANA'));
    const rows = await database.db.select().from(ballots).where(eq(ballots.pollId, await pollId(1)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.memberId).toBeNull();
    // Only a keyed digest, never the member's id: a 64-hex HMAC that cannot be reversed without the secret.
    expect(rows[0]!.voterKey).toMatch(/^a:[0-9a-f]{64}$/);
    expect(rows[0]!.voterKey).not.toBe(`m:${member!.id}`);
    expect(rows[0]!.choices).toEqual([1]);
    const exported = await rig.core.handleText('poll export 1', coord);
    expect(exported.file?.content).not.toMatch(/secret-ana|U-SECRET-ANA/);
    await rig.core.handleText('poll close 1', coord);
    const everything = JSON.stringify([rig.core.logs, replyTexts(lastPost()), rig.delivery.edits.at(-1)]);
    expect(everything).not.toMatch(/secret-ana|U-SECRET-ANA/);
    expect(replyTexts(lastPost())).toContain('Anonymous: only counts are shown, never who chose what.');
  });

  it('GIVEN an open poll THEN its export lists each voter\'s choices, safe for spreadsheets', async () => {
    const { coord } = await next();
    await rig.core.handleText('poll "Q" "=1+1" "B"', coord);
    const ana = as('ana', { userName: 'Ana, "la jefa"' });
    await rig.core.handleText('vote 1 1', ana);
    const exported = (await rig.core.handleText('encuesta exportar 1', { ...ana, platformLocale: 'es' })).file!;
    expect(exported.name).toBe('poll-1.csv');
    expect(exported.content).toBe("número,opción,votos\n1,'=1+1,1\n2,B,0\n\npersona,número,opción\n\"Ana, \"\"la jefa\"\"\",1,'=1+1\n");
  });

  it('GIVEN 200 members voting at once plus 50 duplicate clicks THEN there are exactly 200 ballots', async () => {
    const { coord } = await next();
    await rig.core.handleText('poll "Big vote" "Yes" "No"', coord);
    const button = lastPost().buttons![0]!;
    const voters = Array.from({ length: 200 }, (_, i) => as(`v${i}`));
    const replies = await Promise.all([
      ...voters.map((voter) => rig.core.handleAction(button.action, button.value, voter)),
      ...voters.slice(0, 50).map((voter) => rig.core.handleText('vote 1 2', voter)),
    ]);
    expect(replies.filter((reply: Reply) => reply.error)).toEqual([]);
    const rows = await database.db.select().from(ballots).where(eq(ballots.pollId, await pollId(1)));
    expect(rows).toHaveLength(200);
  });

  it('GIVEN a deadline THEN the poll closes by itself, also when the deadline passed while Minga was down', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('poll "Soon?" "Yes" "No" --closes in 2 hours', coord);
    await rig.core.handleText('vote 1 yes', ana);
    rig.clock.advance(HOUR);
    await rig.scheduler.tick();
    expect((await database.db.select().from(polls).where(eq(polls.id, await pollId(1))))[0]!.status).toBe('open');
    rig.clock.advance(5 * HOUR);
    // Past the deadline, voting has ended even before any scheduler has run.
    expect(text(await rig.core.handleText('vote 1 no', ana))).toBe('Poll #1 is closed and takes no more votes.');
    // A new scheduler, as after a restart: the work is in Postgres, not in memory.
    const afterRestart = rig.newScheduler();
    await afterRestart.tick();
    await afterRestart.tick();
    expect((await database.db.select().from(polls).where(eq(polls.id, await pollId(1))))[0]!.status).toBe('closed');
    expect(replyTexts(lastPost())).toContain('Outcome: Yes, with 1 of 1 votes.');
    // It closed when the deadline was, not when Minga came back.
    expect(replyTexts(lastPost())).toContain('Closed Fri, Nov 27, 14:00.');
  });

  it('GIVEN a deadline two days away THEN members who have not voted hear once, a day before', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('help', as('bob', { platformLocale: 'es-419' }));
    await rig.core.handleText('poll "Retreat?" "Yes" "No" --closes in 48 hours', coord);
    await rig.core.handleText('vote 1 no', ana);
    const before = rig.delivery.directs.length;
    rig.clock.advance(25 * HOUR);
    await rig.scheduler.tick();
    await rig.scheduler.tick();
    const notes = rig.delivery.directs.slice(before);
    expect(notes.map((note) => note.userId).sort()).toEqual(['bob', 'coord']);
    expect(text(notes.find((note) => note.userId === 'bob')!.reply)).toMatch(/^La encuesta #1 cierra el .* y aún no votaste: Retreat\?$/);
    rig.clock.advance(HOUR);
    await rig.scheduler.tick();
    expect(rig.delivery.directs.length).toBe(before + 2);
  });

  it('GIVEN poll remind THEN only members who have not voted are nudged, and only by a manager', async () => {
    const { coord, ana, bob } = await next();
    await rig.core.handleText('poll "Now?" "Yes" "No"', coord);
    await rig.core.handleText('vote 1 yes', ana);
    await rig.core.handleText('help', bob);
    expect(text(await rig.core.handleText('poll remind 1', ana))).toBe("Only the poll's creator or a coordinator may do that.");
    const before = rig.delivery.directs.length;
    expect(text(await rig.core.handleText('poll remind 1', coord))).toBe('I reminded 2 member(s) who have not voted on #1.');
    expect(rig.delivery.directs.slice(before).map((note) => note.userId).sort()).toEqual(['bob', 'coord']);
  });

  it('GIVEN a burst of votes THEN the poll message is edited at most once per tick, and the last edit shows every vote', async () => {
    const { coord } = await next();
    await rig.core.handleText('poll "Burst" "A" "B"', coord);
    const edits = rig.delivery.edits.length;
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => rig.core.handleText('vote 1 1', as(`b${round}-${i}`))));
      rig.clock.advance(1000);
      await rig.scheduler.tick();
    }
    rig.clock.advance(5000);
    await rig.scheduler.tick();
    rig.clock.advance(5000);
    await rig.scheduler.tick();
    const made = rig.delivery.edits.slice(edits);
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThanOrEqual(7);
    expect(replyTexts(made.at(-1)!.reply)).toContain('1. A  ██████████ 50 (100%)');
  });

  it('GIVEN a refresh still editing the message when the poll is closed THEN the message ends frozen, without buttons', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('poll "Race" "A" "B"', coord);
    await rig.core.handleText('vote 1 A', ana);
    // The refresh renders the open poll, then its edit is held back until the close and its announcement are done.
    const edit = rig.delivery.edit;
    let editing!: () => void;
    const refreshEditing = new Promise<void>((resolve) => (editing = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    rig.delivery.edit = async (...args) => {
      rig.delivery.edit = edit;
      editing();
      await held;
      return edit(...args);
    };
    const ticking = rig.scheduler.tick();
    await refreshEditing;
    expect(text(await rig.core.handleText('poll close 1', coord))).toBe('Poll #1 is closed.');
    release();
    await ticking;
    expect(rig.delivery.edits.at(-1)!.reply.buttons).toBeDefined();
    rig.clock.advance(2000);
    await rig.scheduler.tick();
    expect(rig.delivery.edits.at(-1)!.reply.buttons).toBeUndefined();
    expect(replyTexts(rig.delivery.edits.at(-1)!.reply)).toContain('Outcome: A, with 1 of 1 votes.');
  });

  it('GIVEN a poll whose posting is still under way when the reply is due THEN the creator is told it is coming, neither "posted" nor "could not"', async () => {
    const { coord } = await next();
    const post = rig.delivery.post;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    rig.delivery.post = async (...args) => {
      await held;
      return post(...args);
    };
    const quick = wirePolls(database.db, () => rig.clock.now, rig.delivery, undefined, { kickTimeoutMs: 20 });
    try {
      expect(text(await quick.core.handleText('poll "Slow?" "A" "B"', coord))).toBe('Poll #1 is created; it will appear in this channel in a moment.');
    } finally {
      rig.delivery.post = post;
      release();
      await quick.scheduler.stop();
    }
    expect(rig.delivery.posts.at(-1)!.reply.heading).toBe('Poll #1: Slow?');
  });

  it('GIVEN bad deadlines THEN the user is told, and no poll is made', async () => {
    const { coord } = await next();
    expect(text(await rig.core.handleText('poll "Q" "A" "B" --closes someday', coord))).toBe(
      '"someday" is not a time I understand. For example: `in 10 minutes`, `tomorrow 9am`, `friday 15:00`, `Dec 5 at 18:30`, `2026-12-01 18:00` or `tonight`.',
    );
    expect(text(await rig.core.handleText('encuesta "P" "A" "B" --cierra "cuando se pueda"', as('coord', { platformLocale: 'es' })))).toBe(
      '«cuando se pueda» no es un momento que entienda. Por ejemplo: `en 10 minutos`, `mañana a las 9`, `el viernes a las 15:00`, `el 5 de diciembre a las 18:30`, `2026-12-01 18:00` o `esta noche`.',
    );
    // A recurring time is no deadline.
    expect(text(await rig.core.handleText('poll "Q" "A" "B" --closes every monday', coord))).toMatch(/^"every monday" is not a time I understand/);
    expect(text(await rig.core.handleText('encuesta "P" "A" "B" --cierra 2020-01-01 10:00', as('coord', { platformLocale: 'es' })))).toMatch(/^Ese plazo \(.*\) ya pasó\.$/);
    expect(text(await rig.core.handleText('poll list', coord))).toContain('No polls yet');
  });

  it('GIVEN deadlines in words, quoted or not, typed or from a form THEN each poll closes at the exact moment in its creator\'s zone', async () => {
    // Friday 27 November 2026, 12:00 UTC: 07:00 in Bogotá (UTC-5), 13:00 in Madrid (UTC+1).
    const core = createTestCore(database.db);
    await next();
    // Without a channel the poll itself is the answer: nothing waits on a post.
    const bogota = as('ana', { timeZone: 'America/Bogota', channelId: undefined });
    const madrid = as('bob', { timeZone: 'Europe/Madrid', channelId: undefined });
    await core.handleText('encuesta "¿Fecha?" "lunes" "martes" --cierra "mañana a las 18"', bogota);
    await core.handleText('encuesta "¿Lugar?" "Lima" "Quito" --cierra mañana a las 18', bogota);
    await core.handleText('poll "Day?" --closes friday "Sat" "Sun"', bogota);
    await core.handleText('poll "Where?" "Here" "There" --closes "Dec 5 at 18:30" --anon', madrid);
    await core.handleText('propuesta "Firmamos la carta" --cierra en 2 horas', madrid);
    await core.handleForm('poll.create', { question: 'From a form?', options: 'One\nTwo', closes: 'el 5 de diciembre a las 18:30' }, bogota);
    const stored = await database.db
      .select({ question: polls.question, closesAt: polls.closesAt })
      .from(polls)
      .innerJoin(alliances, eq(alliances.id, polls.allianceId))
      .where(eq(alliances.name, `pw-${workspace}`))
      .orderBy(polls.number);
    expect(stored.map((poll) => [poll.question, poll.closesAt?.toISOString()])).toEqual([
      ['¿Fecha?', '2026-11-28T23:00:00.000Z'],
      ['¿Lugar?', '2026-11-28T23:00:00.000Z'],
      // A day without a time closes at its end, 23:59 in Bogotá.
      ['Day?', '2026-11-28T04:59:00.000Z'],
      ['Where?', '2026-12-05T17:30:00.000Z'],
      ['Firmamos la carta', '2026-11-27T14:00:00.000Z'],
      ['From a form?', '2026-12-05T23:30:00.000Z'],
    ]);
  });

  it('GIVEN a poll form submission THEN it becomes a poll like the text form', async () => {
    const { coord } = await next();
    const reply = await rig.core.handleForm('poll.create', { question: 'From a form?', options: 'One\n\nTwo\n', multi: true, closes: 'tomorrow 18:00' }, coord);
    expect(text(reply)).toBe('Poll #1 is posted.');
    expect(replyTexts(lastPost())).toContain('Choose up to 2.');
    expect((await rig.core.handleForm('poll.create', { question: 'Q', options: 'only one' }, coord)).error).toBe(true);
    expect((await rig.core.handleForm('nope' as never, {}, coord)).error).toBe(true);
  });

  it('GIVEN a poll deleted by its creator THEN it is gone; another member may not delete it', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('poll "Q" "A" "B"', coord);
    expect(text(await rig.core.handleText('poll delete 1', ana))).toBe("Only the poll's creator or a coordinator may do that.");
    expect(text(await rig.core.handleText('poll delete 1', coord))).toBe('Poll #1 deleted: Q');
    expect(text(await rig.core.handleText('poll results 1', coord))).toBe('There is no poll #1 in this alliance.');
  });

  it('GIVEN open and closed polls THEN suggestions offer open ones of this alliance, newest first, with their options in the asker\'s language', async () => {
    const { coord, ana } = await next();
    await rig.core.handleText('poll "Where do we meet?" "Lima" "Cusco"', coord);
    await rig.core.handleText('proposal "We sign the 100% letter"', coord);
    await rig.core.handleText('poll "Closed already?" "Yes" "No"', coord);
    await rig.core.handleText('poll close 3', coord);
    expect(await rig.core.suggestPolls(ana, '')).toEqual([
      { number: 2, question: 'We sign the 100% letter', options: ['Agree', 'Abstain', 'Disagree', 'Block'].map((label, i) => ({ position: i + 1, label })) },
      { number: 1, question: 'Where do we meet?', options: [{ position: 1, label: 'Lima' }, { position: 2, label: 'Cusco' }] },
    ]);
    expect((await rig.core.suggestPolls(ana, '#2')).map((poll) => poll.number)).toEqual([2]);
    // "1" is poll #1 and also in "100%": the exact number comes first.
    expect((await rig.core.suggestPolls(ana, '1')).map((poll) => poll.number)).toEqual([1, 2]);
    expect((await rig.core.suggestPolls(ana, 'MEET')).map((poll) => poll.number)).toEqual([1]);
    expect((await rig.core.suggestPolls(ana, '100%')).map((poll) => poll.number)).toEqual([2]);
    expect(await rig.core.suggestPolls(ana, '3')).toEqual([]);
    const [proposal] = await rig.core.suggestPolls({ ...ana, platformLocale: 'es-419' }, '2');
    expect(proposal?.options.map((option) => option.label)).toEqual(['De acuerdo', 'Me abstengo', 'En desacuerdo', 'Bloqueo']);
    const { coord: stranger } = await next();
    expect(await rig.core.suggestPolls(stranger, 'meet')).toEqual([]);
  });
});
