// Anonymous ballots against whoever holds the database, on PGlite and the real server: a dump alone matches no ballot to a member, after the close not even MINGA_SECRET does, and without MINGA_SECRET anonymous polls are refused.
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polls } from '../db/schema.js';
import { micros, voterIdentities } from '../src/ballot-keys.js';
import { legacyBallotKey } from '../src/legacy-ballots.js';
import { pollJobHandlers } from '../src/poll-jobs.js';
import { replyTexts } from '../src/reply.js';
import type { JobRow } from '../src/scheduler/jobs.js';
import { createTestCore, requester, TEST_SECRET, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { recordingDelivery } from './support/delivery.js';
import { dumpDatabase, type Dump, type DumpedRow } from './support/dump.js';
import { pollRig, type PollRig } from './support/polls.js';

/** A secret of the right shape that is not the deployment's. */
const WRONG_SECRET = 'wrong-secret-0123456789abcdef0123456789abcdef';

/** A poll as a dump shows it, in the shape the key derivation takes. */
const keying = (poll: DumpedRow, salt: string | null) => ({
  id: poll.row.id as number,
  number: poll.row.number as number,
  anonymous: true,
  status: 'open',
  ballotSalt: salt,
});

const keyOf = (ballot: DumpedRow) => ballot.row.voter_key as string;

describe.each(databaseTargets())('anonymous polls on %s', (kind) => {
  let database: TestDatabase;
  let rig: PollRig;
  let workspace = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) =>
    requester({ workspaceId: `anon-${workspace}`, userId, userName: userId, channelId: 'C1', ...extra });
  /** A new alliance in which four people have already used Minga; coord coordinates it. */
  const next = async () => {
    workspace += 1;
    const people = { coord: as('coord'), ana: as('ana'), bob: as('bob'), eve: as('eve') };
    for (const person of Object.values(people)) await rig.core.handleText('help', person);
    return people;
  };
  /** The current alliance's poll, its ballots and its members, as a dump holds them. */
  const find = (dump: Dump, number: number) => {
    const allianceId = dump.workspaces!.find((w) => w.row.external_id === `anon-${workspace}`)!.row.alliance_id;
    const poll = dump.polls!.find((p) => p.row.alliance_id === allianceId && p.row.number === number)!;
    return {
      poll,
      ballots: dump.ballots!.filter((b) => b.row.poll_id === poll.row.id),
      members: dump.members!.filter((m) => m.row.alliance_id === allianceId),
      memberId: (userId: string) => dump.members!.find((m) => m.row.alliance_id === allianceId && m.row.platform_user_id === userId)!.row.id as number,
    };
  };
  /** An anonymous proposal on which ana agreed (after first blocking) and bob disagreed; returns when ana last acted. */
  const vote = async () => {
    const people = await next();
    await rig.core.handleText('proposal "Sign the letter?" --anon', people.coord);
    await rig.core.handleText('vote 1 block', people.ana);
    rig.clock.advance(60_000);
    const anaActed = rig.clock.now;
    await rig.core.handleText('vote 1 agree', people.ana);
    rig.clock.advance(60_000);
    await rig.core.handleText('vote 1 disagree', people.bob);
    return { ...people, anaActed };
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = pollRig(database.db);
  });
  afterAll(() => database.close());

  it('GIVEN an open anonymous poll THEN a dump of the database alone matches no ballot to a member, and MINGA_SECRET is what it takes', async () => {
    const { anaActed } = await vote();
    const dump = await dumpDatabase(database.db);
    const { poll, ballots, members, memberId } = find(dump, 1);
    const pollId = poll.row.id as number;
    expect(ballots).toHaveLength(2);

    // The rows: a keyed digest, no member id, nothing else.
    for (const { row } of ballots) {
      expect(Object.keys(row).sort()).toEqual(['acted', 'alliance_id', 'choices', 'member_id', 'poll_id', 'voter_key']);
      expect(row.member_id).toBeNull();
      expect(row.voter_key).toMatch(/^a:[0-9a-f]{64}$/);
    }
    // No other table repeats a key, and no member's row was written by (or locked in) a vote's transaction.
    const elsewhere = JSON.stringify(Object.entries(dump).filter(([table]) => table !== 'ballots'));
    for (const ballot of ballots) expect(elsewhere).not.toContain(keyOf(ballot).slice(2));
    const voteTransactions = new Set(ballots.map((ballot) => ballot.xmin));
    for (const member of dump.members!) {
      expect(voteTransactions.has(member.xmin)).toBe(false);
      expect(voteTransactions.has(member.xmax)).toBe(false);
    }

    // Recomputing every member's key from what the dump holds: its salt, any stored secret, the old scheme; all match nobody.
    const salt = poll.row.ballot_salt as string;
    expect(salt).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const keys = new Set(ballots.map(keyOf));
    const ids = members.map((member) => member.row.id as number);
    const stored = (dump.instance_secrets ?? []).map((secret) => secret.row.value as string);
    const guesses: ((memberId: number) => string)[] = [
      (id) => voterIdentities(keying(poll, salt), WRONG_SECRET)(id).key,
      (id) => legacyBallotKey(salt, pollId, id),
      ...stored.map((secret) => (id: number) => legacyBallotKey(secret, pollId, id)),
    ];
    for (const guess of guesses) expect(ids.filter((id) => keys.has(guess(id)))).toEqual([]);
    expect(() => voterIdentities(keying(poll, salt), undefined)).toThrow(expect.objectContaining({ key: 'error.anonymousNeedsSecret' }));

    // With MINGA_SECRET, every ballot is found: the secret, and nothing in the database, is what links them.
    const identify = voterIdentities(keying(poll, salt), TEST_SECRET);
    const choiceOf = (userId: string) => ballots.find((ballot) => keyOf(ballot) === identify(memberId(userId)).key)?.row.choices ?? null;
    expect(['coord', 'ana', 'bob', 'eve'].map(choiceOf)).toEqual([null, [1], [3], null]);
    // `acted` dates nothing without it either: only the secret offset turns it back into the moment ana acted.
    const anaBallot = ballots.find((ballot) => keyOf(ballot) === identify(memberId('ana')).key)!;
    expect((anaBallot.row.acted as number) - identify(memberId('ana')).orderOffset).toBe(micros(anaActed));
    const wrong = voterIdentities(keying(poll, salt), WRONG_SECRET)(memberId('ana')).orderOffset;
    expect((anaBallot.row.acted as number) - wrong).not.toBe(micros(anaActed));
  });

  it('GIVEN the poll closes THEN no ballot matches a member, even with MINGA_SECRET and a backup made while it was open', async () => {
    const { coord } = await vote();
    const backup = find(await dumpDatabase(database.db), 1);
    await rig.core.handleText('poll close 1', coord);
    const closed = find(await dumpDatabase(database.db), 1);

    expect(closed.poll.row.status).toBe('closed');
    expect(closed.poll.row.ballot_salt).toBeNull();
    // The same votes, counted the same…
    expect(closed.ballots.map((ballot) => ballot.row.choices).sort()).toEqual([[1], [3]]);
    expect(replyTexts(rig.delivery.posts.at(-1)!.reply)).toContain('Outcome: not agreed (1 agree, 0 abstain, 1 disagree).');
    // …but no time, and keys that are none of the ones the backup holds.
    expect(closed.ballots.map((ballot) => ballot.row.acted)).toEqual([0, 0]);
    const keys = closed.ballots.map(keyOf);
    expect(keys.filter((key) => backup.ballots.some((old) => keyOf(old) === key))).toEqual([]);
    // With MINGA_SECRET and the salt from the backup, every member's key is recomputed: none is there.
    const identify = voterIdentities(keying(backup.poll, backup.poll.row.ballot_salt as string), TEST_SECRET);
    expect(closed.members.filter((member) => keys.includes(identify(member.row.id as number).key))).toEqual([]);
    // From the closed poll itself, not even Minga can key a ballot any more.
    expect(() => voterIdentities(keying(closed.poll, null), TEST_SECRET)).toThrow(expect.objectContaining({ key: 'error.pollClosed' }));
    // Stored in the order of their random keys, all written by the close, which wrote no member's row.
    expect(keys).toEqual([...keys].sort());
    const written = new Set(closed.ballots.map((ballot) => ballot.xmin));
    expect(written.size).toBe(1);
    for (const member of closed.members) expect(written.has(member.xmin) || written.has(member.xmax)).toBe(false);
  });

  it('GIVEN an open anonymous poll THEN poll remind still finds exactly the members who have not voted', async () => {
    const { coord } = await vote();
    const before = rig.delivery.directs.length;
    expect(text(await rig.core.handleText('poll remind 1', coord))).toBe('I reminded 2 member(s) who have not voted on #1.');
    const nudged = rig.delivery.directs.slice(before);
    expect(nudged.map((note) => note.userId).sort()).toEqual(['coord', 'eve']);
    expect(text(nudged[0]!.reply)).toContain('Sign the letter?');
  });

  it('GIVEN a nudge that cannot be delivered THEN its log line never names both a member and the anonymous poll', async () => {
    const { coord } = await vote();
    await rig.core.handleText('poll "Open one?" "A" "B"', coord);
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    const delivery = { ...recordingDelivery(), sendDirect: () => Promise.reject(new Error('cannot_dm_user')) };
    const handlers = pollJobHandlers({ db: database.db, delivery, defaults: { locale: 'en', timeZone: 'UTC' }, log, now: () => rig.clock.now, secret: TEST_SECRET });
    const idOf = async (number: number) => find(await dumpDatabase(database.db), number).poll.row.id as number;
    const job = (pollId: number) => ({ payload: { pollId } }) as unknown as JobRow<'poll.remind'>;
    await handlers['poll.remind']!(job(await idOf(1)));
    const anonymous = lines.splice(0);
    expect(anonymous).toHaveLength(2);
    for (const line of anonymous) expect(line).toMatchObject({ msg: 'could not nudge a member', member: expect.any(Number) });
    for (const line of anonymous) expect(line).not.toHaveProperty('poll');
    // An open poll's ballots name their voters anyway: there both help whoever runs Minga.
    await handlers['poll.remind']!(job(await idOf(2)));
    expect(lines.every((line) => typeof line.poll === 'number' && typeof line.member === 'number')).toBe(true);
  });
});

describe.each(databaseTargets())('a server without MINGA_SECRET, on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) => requester({ workspaceId: 'no-secret', userId, userName: userId, channelId: 'C1', ...extra });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db, { secret: null });
  });
  afterAll(() => database.close());

  it('GIVEN an anonymous poll by text, form or typed options THEN it is refused naming MINGA_SECRET, and nothing is written', async () => {
    await core.handleText('help', as('coord'));
    await core.handleText('help', as('rosa', { platformLocale: 'es' }));
    const before = await dumpDatabase(database.db);
    const refusals = [
      await core.handleText('poll "Where?" "Lima" "Quito" --anon', as('coord')),
      // The Slack modal's submission.
      await core.handleForm('poll.create', { question: 'Where?', options: 'Lima\nQuito', anonymous: true }, as('coord')),
      // Discord's options.
      await core.handleCommand(
        { kind: 'poll.create', pollKind: 'proposal', question: 'Sign?', options: [], maxChoices: 1, anonymous: true, hideResults: false },
        as('coord'),
      ),
    ];
    for (const reply of refusals) {
      expect(reply.error).toBe(true);
      expect(text(reply)).toContain('Anonymous polls are off on this server: whoever runs Minga must set `MINGA_SECRET` first');
    }
    expect(text(await core.handleText('encuesta "¿Dónde?" "Lima" "Quito" --anónima', as('rosa', { platformLocale: 'es' })))).toContain(
      'Las encuestas anónimas están desactivadas en este servidor: quien administra Minga debe definir `MINGA_SECRET` primero',
    );
    expect(await dumpDatabase(database.db)).toEqual(before);
    // Polls that name their voters need no secret.
    expect(text(await core.handleText('poll "Where?" "Lima" "Quito"', as('coord')))).toMatch(/^Poll #1 is /);
    expect(await database.db.select({ anonymous: polls.anonymous }).from(polls).where(eq(polls.question, 'Where?'))).toEqual([{ anonymous: false }]);
  });
});
