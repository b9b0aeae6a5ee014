// gatherWeek against seeded databases, PGlite and the real server: each list, its 7-day windows and zone days, the anonymity and hidden-results rules, and a constant number of queries.
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, type Db } from '../db/connection.js';
import { alliances, ballots, members, organizations, pollOptions, polls, reminders, tasks, workspaces } from '../db/schema.js';
import { DIGEST_LIST_MAX, gatherWeek, shiftDays } from '../src/digest-week.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 30 November 2026, 09:00 in Lima. */
const AT = new Date('2026-11-30T14:00:00Z');
const LIMA = 'America/Lima';
const ago = (ms: number) => new Date(AT.getTime() - ms);
const ahead = (ms: number) => new Date(AT.getTime() + ms);
/** Long before any window. */
const LONG_AGO = new Date('2026-01-01T00:00:00Z');

describe('a week away in a zone', () => {
  it('GIVEN Monday 09:00 in Madrid the day after clocks went back THEN the week before starts at 09:00 summer time, 7 days and an hour earlier', () => {
    const at = new Date('2026-10-26T08:00:00Z');
    expect(shiftDays(at, 'Europe/Madrid', -7).toISOString()).toBe('2026-10-19T07:00:00.000Z');
  });
  it('GIVEN Monday 09:00 in Madrid before clocks go forward THEN the week after ends at 09:00 summer time, an hour short of 7 days', () => {
    const at = new Date('2026-03-23T08:00:00Z');
    expect(shiftDays(at, 'Europe/Madrid', 7).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });
  it('GIVEN a zone without daylight saving THEN a week is 7 days, seconds kept', () => {
    const at = new Date('2026-11-30T14:00:05.250Z');
    expect(shiftDays(at, LIMA, -7).toISOString()).toBe('2026-11-23T14:00:05.250Z');
  });
});

/** Rows of one alliance, inserted directly so each timestamp is the test's to choose. */
class Seed {
  private constructor(
    private readonly db: Db,
    readonly allianceId: number,
    private readonly workspaceId: number,
  ) {}
  private numbers = { task: 0, poll: 0, reminder: 0 };

  static async create(db: Db, name: string, timeZone = LIMA): Promise<Seed> {
    const [alliance] = await db.insert(alliances).values({ name, timeZone }).returning();
    const [workspace] = await db.insert(workspaces).values({ allianceId: alliance!.id, platform: 'console', externalId: name }).returning();
    return new Seed(db, alliance!.id, workspace!.id);
  }

  async member(userId: string, displayName: string | null = userId, createdAt = LONG_AGO): Promise<number> {
    const [row] = await this.db
      .insert(members)
      .values({ allianceId: this.allianceId, workspaceId: this.workspaceId, platformUserId: userId, displayName, createdAt })
      .returning();
    return row!.id;
  }

  async organization(slug: string, name: string, createdAt = LONG_AGO): Promise<number> {
    const [row] = await this.db.insert(organizations).values({ allianceId: this.allianceId, slug, name, createdAt }).returning();
    return row!.id;
  }

  async tasks(
    specs: {
      title: string;
      dueOn?: string;
      member?: number;
      organization?: number;
      done?: { at: Date; by: number | null };
    }[],
  ): Promise<number[]> {
    const rows = await this.db
      .insert(tasks)
      .values(
        specs.map((spec) => ({
          allianceId: this.allianceId,
          number: ++this.numbers.task,
          title: spec.title,
          dueOn: spec.dueOn ?? null,
          assigneeMemberId: spec.member ?? null,
          assigneeOrganizationId: spec.organization ?? null,
          status: spec.done ? 'done' : 'open',
          completedAt: spec.done?.at ?? null,
          completedBy: spec.done?.by ?? null,
        })),
      )
      .returning({ number: tasks.number });
    return rows.map((row) => row.number);
  }

  /**
   * A poll with its options (proposals: agree, abstain, disagree, block) and ballots: a member's id and positions, or for an
   * anonymous poll `null` (a ballot with no member, as a close leaves them) or, to prove a rule, a member id all the same.
   */
  async poll(spec: {
    question: string;
    kind?: 'choice' | 'proposal';
    options?: string[];
    closesAt?: Date;
    closedAt?: Date;
    anonymous?: boolean;
    hideResults?: boolean;
    ballots?: [number | null, number[]][];
  }): Promise<number> {
    const kind = spec.kind ?? 'choice';
    const [poll] = await this.db
      .insert(polls)
      .values({
        allianceId: this.allianceId,
        number: ++this.numbers.poll,
        kind,
        question: spec.question,
        anonymous: spec.anonymous ?? false,
        hideResults: spec.hideResults ?? false,
        status: spec.closedAt ? 'closed' : 'open',
        closesAt: spec.closesAt ?? null,
        closedAt: spec.closedAt ?? null,
      })
      .returning();
    const labels = kind === 'proposal' ? ['agree', 'abstain', 'disagree', 'block'] : (spec.options ?? ['Yes', 'No']);
    await this.db
      .insert(pollOptions)
      .values(labels.map((label, i) => ({ allianceId: this.allianceId, pollId: poll!.id, position: i + 1, label, code: kind === 'proposal' ? label : null })));
    const cast = spec.ballots ?? [];
    if (cast.length) {
      await this.db.insert(ballots).values(
        cast.map(([memberId, choices], i) => ({
          allianceId: this.allianceId,
          pollId: poll!.id,
          voterKey: spec.anonymous ? `anon-${poll!.id}-${i}` : `m:${memberId}`,
          memberId,
          choices,
          acted: 0,
        })),
      );
    }
    return poll!.number;
  }

  async reminder(spec: { text: string; nextAt: Date; organization?: number; member?: number; conversation?: string; status?: string }): Promise<number> {
    const [row] = await this.db
      .insert(reminders)
      .values({
        allianceId: this.allianceId,
        number: ++this.numbers.reminder,
        targetKind: spec.organization ? 'organization' : spec.member ? 'member' : 'channel',
        targetOrganizationId: spec.organization ?? null,
        targetMemberId: spec.member ?? null,
        targetConversation: spec.conversation ?? null,
        text: spec.text,
        nextAt: spec.nextAt,
        timeZone: LIMA,
        status: spec.status ?? 'active',
      })
      .returning();
    return row!.number;
  }
}

describe.each(databaseTargets())('gathering a week on %s', (kind) => {
  let database: TestDatabase;
  let alliance = 0;
  const seed = (timeZone?: string) => Seed.create(database.db, `dw-${kind}-${++alliance}`, timeZone);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());

  describe('a seeded week', () => {
    let s: Seed;
    let week: Awaited<ReturnType<typeof gatherWeek>>;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      s = await seed();
      ids.ana = await s.member('U1', 'ana');
      ids.luis = await s.member('U2', 'luis');
      ids.carlos = await s.member('U3', 'carlos');
      ids.maria = await s.member('U4', null);
      await s.member('U5', 'carla', ago(2 * DAY));
      await s.member('U6', 'Jorge Quispe', ago(7 * DAY));
      await s.member('U7', 'too early', ago(7 * DAY + 1000));
      await s.member('U8', 'too late', AT);
      ids.norte = await s.organization('norte', 'Red Norte');
      ids.sur = await s.organization('sur', 'Colectivo Sur');
      await s.organization('tierra', 'Asociación Tierra Viva', ago(DAY));
      await s.organization('later', 'Later', ahead(HOUR));

      await s.tasks([
        { title: 'Update the website', dueOn: '2026-11-23', member: ids.ana }, // #1 overdue
        { title: 'Enviar el presupuesto', dueOn: '2026-11-29', organization: ids.norte }, // #2 overdue, yesterday
        { title: 'Reservar el local', dueOn: '2026-11-30' }, // #3 due today
        { title: 'Draft the statement', dueOn: '2026-12-06', member: ids.maria }, // #4 due in 6 days
        { title: 'Too far', dueOn: '2026-12-07' }, // #5 in 7 days: not this week
        { title: 'No date' }, // #6
        { title: 'Print the banners', dueOn: '2026-11-20', organization: ids.norte, done: { at: ago(DAY), by: ids.luis } }, // #7 done: not overdue
        { title: 'Recoger donaciones', organization: ids.sur, done: { at: ago(7 * DAY), by: ids.ana } }, // #8 done at the window's start
        { title: 'Done too early', organization: ids.sur, done: { at: ago(7 * DAY + 1), by: ids.ana } }, // #9
        { title: 'Done at the digest', organization: ids.sur, done: { at: AT, by: ids.ana } }, // #10
        { title: 'Her own task', member: ids.ana, done: { at: ago(2 * HOUR), by: ids.ana } }, // #11
        { title: 'Finished by someone gone', done: { at: ago(3 * HOUR), by: null } }, // #12
      ]);

      await s.poll({ question: 'Where do we meet?', options: ['Lima', 'Cusco', 'Arequipa'], closesAt: ahead(2 * DAY), ballots: [[ids.ana!, [1]], [ids.luis!, [2]], [ids.carlos!, []]] }); // #1
      await s.poll({ question: 'Hidden until the end', kind: 'proposal', hideResults: true, ballots: [[ids.ana!, [4]]] }); // #2
      await s.poll({ question: 'Anonymous and soon', closesAt: ahead(DAY), anonymous: true, ballots: [[null, [1]], [null, [2]]] }); // #3
      await s.poll({
        question: 'Which logo?', options: ['Green', 'Blue', 'Red'], closedAt: ago(DAY), hideResults: true,
        ballots: [[ids.ana!, [2]], [ids.luis!, [2]], [ids.carlos!, [1]]],
      }); // #4
      await s.poll({ question: 'Adopt the code of conduct', kind: 'proposal', closedAt: ago(2 * DAY), ballots: [[ids.carlos!, [4]], [ids.luis!, [1]], [ids.ana!, [4]]] }); // #5
      await s.poll({
        question: 'Ask for a meeting', kind: 'proposal', anonymous: true, closedAt: ago(3 * DAY),
        // The last ballot keeps a member id, which a close never leaves: the digest names nobody all the same.
        ballots: [[null, [4]], [null, [1]], [ids.luis!, [4]]],
      }); // #6
      await s.poll({ question: 'Closed too early', closedAt: ago(7 * DAY + 1) }); // #7
      await s.poll({ question: 'Closed at the digest', closedAt: AT }); // #8

      await s.reminder({ text: 'Send the photos', nextAt: ahead(DAY), organization: ids.sur }); // #1
      await s.reminder({ text: 'Weekly call', nextAt: AT, conversation: 'console:dw:general' }); // #2
      await s.reminder({ text: 'Personal', nextAt: ahead(HOUR), member: ids.ana }); // #3
      await s.reminder({ text: 'Next week', nextAt: ahead(7 * DAY), organization: ids.sur }); // #4
      await s.reminder({ text: 'Cancelled', nextAt: ahead(2 * DAY), organization: ids.norte, status: 'cancelled' }); // #5
      await s.reminder({ text: 'Past', nextAt: ago(HOUR), conversation: 'console:dw:general' }); // #6

      // Another alliance's week must not leak into this one.
      const other = await seed();
      const stranger = await other.member('U1', 'stranger', ago(DAY));
      await other.tasks([{ title: 'Theirs', dueOn: '2026-11-01', member: stranger }]);
      await other.poll({ question: 'Theirs?' });

      week = await gatherWeek(database.db, s.allianceId, AT, LIMA);
    });

    it('GIVEN the week THEN it is read in the zone: today is Monday in Lima', () => {
      expect(week).toMatchObject({ at: AT, timeZone: LIMA, today: '2026-11-30' });
    });

    it('GIVEN open tasks THEN those due before today are overdue, those due today to 6 days on are due soon, with whom they are for', () => {
      expect(week.overdue).toEqual({
        items: [
          { number: 1, title: 'Update the website', dueOn: '2026-11-23', assignee: { kind: 'member', name: '@ana' } },
          { number: 2, title: 'Enviar el presupuesto', dueOn: '2026-11-29', assignee: { kind: 'organization', name: 'Red Norte' } },
        ],
        total: 2,
      });
      expect(week.dueSoon).toEqual({
        items: [
          { number: 3, title: 'Reservar el local', dueOn: '2026-11-30', assignee: null },
          // A member with no display name goes by their platform id, as everywhere.
          { number: 4, title: 'Draft the statement', dueOn: '2026-12-06', assignee: { kind: 'member', name: '@U4' } },
        ],
        total: 2,
      });
    });

    it('GIVEN open polls THEN they close soonest first, no deadline last, with the turnout pollView gives and nothing chosen', () => {
      expect(week.openPolls.total).toBe(3);
      expect(week.openProposals).toBe(1);
      expect(week.openPolls.items).toEqual([
        { number: 3, kind: 'choice', question: 'Anonymous and soon', closesAt: ahead(DAY), anonymous: true, hideResults: false, voters: 2, eligible: 8 },
        // A withdrawn vote (no choice left) is no vote.
        { number: 1, kind: 'choice', question: 'Where do we meet?', closesAt: ahead(2 * DAY), anonymous: false, hideResults: false, voters: 2, eligible: 8 },
        { number: 2, kind: 'proposal', question: 'Hidden until the end', closesAt: null, anonymous: false, hideResults: true, voters: 1, eligible: 8 },
      ]);
    });

    it('GIVEN polls closed in the 7 days before THEN they are the decisions, in the order they closed, with their outcome', () => {
      expect(week.decisions.total).toBe(3);
      expect(week.decisions.items.map((decision) => decision.number)).toEqual([6, 5, 4]);
      const [, blocked, logo] = week.decisions.items;
      // Closed, a poll that hid its results shows them.
      expect(logo).toEqual({
        number: 4, kind: 'choice', question: 'Which logo?', closedAt: ago(DAY), anonymous: false, voters: 3,
        outcome: [{ label: 'Blue', code: null, votes: 2 }, { label: 'Green', code: null, votes: 1 }, { label: 'Red', code: null, votes: 0 }],
        blockedBy: [],
      });
      expect(blocked?.outcome).toEqual([
        { label: 'block', code: 'block', votes: 2 },
        { label: 'agree', code: 'agree', votes: 1 },
        { label: 'abstain', code: 'abstain', votes: 0 },
        { label: 'disagree', code: 'disagree', votes: 0 },
      ]);
      expect(blocked?.blockedBy).toEqual(['@ana', '@carlos']);
    });

    it('GIVEN an anonymous proposal blocked THEN its blocks are counted and nobody is named', () => {
      const anonymous = week.decisions.items.find((decision) => decision.number === 6);
      expect(anonymous?.anonymous).toBe(true);
      expect(anonymous?.outcome.find((option) => option.code === 'block')?.votes).toBe(2);
      expect(anonymous?.blockedBy).toEqual([]);
    });

    it('GIVEN tasks done in the 7 days before THEN they are listed by organization, a member\'s own last, with who finished them', () => {
      expect(week.finished).toEqual({
        items: [
          { number: 8, title: 'Recoger donaciones', by: '@ana', organization: 'Colectivo Sur' },
          { number: 7, title: 'Print the banners', by: '@luis', organization: 'Red Norte' },
          { number: 12, title: 'Finished by someone gone', by: null, organization: null },
          { number: 11, title: 'Her own task', by: '@ana', organization: null },
        ],
        total: 4,
      });
    });

    it('GIVEN reminders THEN those for channels and organizations due in the next 7 days show, soonest first; a member\'s own do not', () => {
      expect(week.reminders).toEqual({
        items: [
          { number: 2, text: 'Weekly call', at: AT, target: { kind: 'channel', conversation: 'console:dw:general' } },
          { number: 1, text: 'Send the photos', at: ahead(DAY), target: { kind: 'organization', name: 'Colectivo Sur' } },
        ],
        total: 2,
      });
    });

    it('GIVEN members and organizations created in the 7 days before THEN they are the newcomers, by name', () => {
      expect(week.newMembers).toEqual({ items: ['@Jorge Quispe', '@carla'], total: 2 });
      expect(week.newOrganizations).toEqual({ items: ['Asociación Tierra Viva'], total: 1 });
    });
  });

  it('GIVEN the same moment read in Lima and in Tokyo THEN today, overdue and due soon follow each zone\'s day', async () => {
    const s = await seed();
    await s.tasks([{ title: 'Sunday', dueOn: '2026-11-29' }, { title: 'Monday', dueOn: '2026-11-30' }, { title: 'Next Monday', dueOn: '2026-12-07' }]);
    // Sunday 29 November, 21:00 in Lima; already Monday 30, 11:00 in Tokyo.
    const at = new Date('2026-11-30T02:00:00Z');
    const lima = await gatherWeek(database.db, s.allianceId, at, LIMA);
    expect(lima.today).toBe('2026-11-29');
    expect(lima.overdue.items).toEqual([]);
    expect(lima.dueSoon.items.map((task) => task.title)).toEqual(['Sunday', 'Monday']);
    const tokyo = await gatherWeek(database.db, s.allianceId, at, 'Asia/Tokyo');
    expect(tokyo.today).toBe('2026-11-30');
    expect(tokyo.overdue.items.map((task) => task.title)).toEqual(['Sunday']);
    expect(tokyo.dueSoon.items.map((task) => task.title)).toEqual(['Monday']);
  });

  it('GIVEN clocks went back during the week THEN the window starts at last week\'s digest, 7 days and an hour before', async () => {
    const s = await seed('Europe/Madrid');
    // Monday 26 October 2026, 09:00 in Madrid (UTC+1); the Monday before, 09:00 was 07:00 UTC (UTC+2).
    const at = new Date('2026-10-26T08:00:00Z');
    await s.poll({ question: 'Just after last digest', closedAt: new Date('2026-10-19T07:30:00Z') });
    await s.poll({ question: 'Just before last digest', closedAt: new Date('2026-10-19T06:59:00Z') });
    const week = await gatherWeek(database.db, s.allianceId, at, 'Europe/Madrid');
    expect(week.decisions.items.map((decision) => decision.question)).toEqual(['Just after last digest']);
  });

  describe('a fixed number of queries', () => {
    /** gatherWeek on a connection of its own that counts every statement it sends. */
    let counted: { db: Db; statements: () => number; close: () => Promise<void> };

    beforeAll(async () => {
      let statements = 0;
      if (kind === 'postgres') {
        // postgres.js calls `debug` for each statement it sends to the server.
        const client = postgres(database.url!, { max: 1, onnotice: () => {}, debug: () => statements++ });
        counted = { db: drizzlePostgres(client, { schema }) as unknown as Db, statements: () => statements, close: () => client.end({ timeout: 5 }) };
      } else {
        // PGlite has one connection, the test database's own: drizzle's logger sees each statement sent through it.
        const client = (database.db as unknown as { $client: PGlite }).$client;
        const db = drizzlePglite(client, { schema, logger: { logQuery: () => statements++ } }) as unknown as Db;
        counted = { db, statements: () => statements, close: async () => {} };
      }
    });
    afterAll(() => counted.close());

    /** An alliance with `tasks` tasks (overdue, due soon, done this week, in thirds) and `polls` polls, half open, half decided. */
    const alliance = async (taskCount: number, pollCount: number) => {
      const s = await seed();
      const voters: number[] = [];
      for (let i = 0; i < 6; i++) voters.push(await s.member(`U${i}`, `member ${i}`, ago(DAY)));
      const organization = await s.organization('org', 'Org', ago(DAY));
      await s.tasks(
        Array.from({ length: taskCount }, (_, i) => {
          const spec = { title: `Task ${i}`, organization };
          if (i % 3 === 0) return { ...spec, dueOn: '2026-11-20' };
          if (i % 3 === 1) return { ...spec, dueOn: '2026-12-02' };
          return { ...spec, done: { at: ago(HOUR * (1 + (i % 100))), by: voters[i % voters.length]! } };
        }),
      );
      for (let i = 0; i < pollCount; i++) {
        const cast = voters.map((voter, v): [number, number[]] => [voter, [1 + ((i + v) % 4)]]);
        await s.poll({ question: `Poll ${i}`, kind: i % 2 ? 'proposal' : 'choice', options: ['A', 'B', 'C', 'D'], closedAt: i % 4 < 2 ? ago(DAY) : undefined, ballots: cast });
      }
      await s.reminder({ text: 'Call', nextAt: ahead(DAY), organization });
      return s;
    };

    const statementsFor = async (s: Seed) => {
      const before = counted.statements();
      const week = await gatherWeek(counted.db, s.allianceId, AT, LIMA);
      return { week, statements: counted.statements() - before };
    };

    it('GIVEN an alliance with 3 tasks and 1 poll, and one with 300 tasks and 20 polls THEN the digest takes the same number of statements', async () => {
      const small = await alliance(3, 1);
      const big = await alliance(300, 20);
      // The first use of a connection may ask the server about types; counting starts after it.
      await statementsFor(small);
      const few = await statementsFor(small);
      const many = await statementsFor(big);
      expect(few.statements).toBe(9);
      expect(many.statements).toBe(few.statements);
      // And the big one was gathered whole: each list cut to its maximum, with its total.
      expect(many.week.overdue).toMatchObject({ total: 100 });
      expect(many.week.overdue.items).toHaveLength(DIGEST_LIST_MAX);
      expect(many.week.finished.total).toBe(100);
      expect(many.week.finished.items).toHaveLength(DIGEST_LIST_MAX);
      expect(many.week.openPolls.total).toBe(10);
      expect(many.week.decisions.total).toBe(10);
      expect(many.week.decisions.items.every((decision) => decision.voters === 6 && decision.outcome.length === 4)).toBe(true);
    });
  });
});
