// Anonymous ballots keyed the old way (under a secret kept in the database), moved at start-up, on PGlite and the real server: rows written by hand as the old code left them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { migrateDatabase, openPglite } from '../db/connection.js';
import { ballots, instanceSecrets, members, polls } from '../db/schema.js';
import { micros, voterIdentities } from '../src/ballot-keys.js';
import { startMinga } from '../src/app.js';
import { LEGACY_BALLOT_SECRET, legacyBallotKey, upgradeLegacyBallots } from '../src/legacy-ballots.js';
import { SECRET_FILE } from '../src/secrets.js';
import { createTestCore, FIXED_NOW, requester, TEST_SECRET, text } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { dumpDatabase } from './support/dump.js';

/** The value the old code stored in instance_secrets. */
const STORED_SECRET = 'bGVnYWN5LXNlY3JldC1rZXB0LWluLXRoZS1kYXRhYmFzZQ==';

const as = (userId: string) => requester({ workspaceId: 'legacy', userId, userName: userId, channelId: 'C1' });

/** A log that keeps its lines. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  return { log, lines };
}

/**
 * The state an upgrade finds: an open anonymous proposal (#1) without a salt whose ballots carry the old keys (ana blocks,
 * bob agrees, and a member since gone disagrees), a closed one (#2) with the random keys migration 0003 gave it, an open poll
 * that names its voters (#3), and the old secret in instance_secrets.
 */
async function seedLegacy(db: Db) {
  const core = createTestCore(db);
  for (const person of ['coord', 'ana', 'bob', 'eve']) await core.handleText('help', as(person));
  await core.handleText('proposal "Old and open?" --anon', as('coord'));
  await core.handleText('proposal "Old and closed?" --anon', as('coord'));
  await core.handleText('poll close 2', as('coord'));
  await core.handleText('poll "Named?" "A" "B"', as('coord'));
  await core.handleText('vote 3 A', as('ana'));
  const idOf = async (userId: string) => (await db.select().from(members).where(eq(members.platformUserId, userId)))[0]!.id;
  const pollOf = async (number: number) => (await db.select().from(polls).where(eq(polls.number, number)))[0]!;
  const [open, closed] = [await pollOf(1), await pollOf(2)];
  await db.update(polls).set({ ballotSalt: null }).where(eq(polls.id, open.id));
  await db.insert(instanceSecrets).values({ name: LEGACY_BALLOT_SECRET, value: STORED_SECRET });
  // As migration 0003 left them: `acted` from the old update time, to the microsecond.
  const acted = micros(FIXED_NOW);
  await db.insert(ballots).values([
    { allianceId: open.allianceId, pollId: open.id, voterKey: legacyBallotKey(STORED_SECRET, open.id, await idOf('ana')), choices: [4], acted },
    { allianceId: open.allianceId, pollId: open.id, voterKey: legacyBallotKey(STORED_SECRET, open.id, await idOf('bob')), choices: [1], acted: acted + 1 },
    { allianceId: open.allianceId, pollId: open.id, voterKey: legacyBallotKey(STORED_SECRET, open.id, 999_999), choices: [3], acted: acted + 2 },
    // Written in the order members voted, which the random keys do not follow.
    { allianceId: closed.allianceId, pollId: closed.id, voterKey: `a:${'f'.repeat(32)}`, choices: [1], acted: 0 },
    { allianceId: closed.allianceId, pollId: closed.id, voterKey: `a:${'0'.repeat(32)}`, choices: [3], acted: 0 },
  ]);
  return { core, open, closed, idOf, pollOf };
}

const ballotsOf = (db: Db, pollId: number) =>
  db.select({ key: ballots.voterKey, choices: ballots.choices, acted: ballots.acted }).from(ballots).where(eq(ballots.pollId, pollId));

describe.each(databaseTargets())('anonymous ballots from before MINGA_SECRET, on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(() => database.close());

  it('GIVEN two instances starting together THEN open polls are re-keyed under MINGA_SECRET, closed ones rewritten, and the stored secret deleted, once', async () => {
    const db = database.db;
    const { core, open, closed, idOf, pollOf } = await seedLegacy(db);
    const oldKeys = [...(await ballotsOf(db, open.id)), ...(await ballotsOf(db, closed.id))].map((ballot) => ballot.key);
    const named = await ballotsOf(db, (await pollOf(3)).id);
    const { log, lines } = capturedLog();
    await Promise.all([upgradeLegacyBallots(db, TEST_SECRET, log), upgradeLegacyBallots(db, TEST_SECRET, log)]);

    expect(await db.select().from(instanceSecrets).where(eq(instanceSecrets.name, LEGACY_BALLOT_SECRET))).toEqual([]);
    expect(lines.filter((line) => line.msg === 'anonymous ballots no longer depend on a secret in the database')).toMatchObject([{ rekeyed: 1, unlinked: 1 }]);
    // The open poll: a salt, and each member's ballot under the key MINGA_SECRET gives; the gone member's still counts.
    const rekeyed = await pollOf(1);
    expect(rekeyed.ballotSalt).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const identify = voterIdentities(rekeyed, TEST_SECRET);
    const [ana, bob] = [identify(await idOf('ana')), identify(await idOf('bob'))];
    const now = await ballotsOf(db, open.id);
    expect(now.find((ballot) => ballot.key === ana.key)).toEqual({ key: ana.key, choices: [4], acted: ana.orderOffset });
    expect(now.find((ballot) => ballot.key === bob.key)).toEqual({ key: bob.key, choices: [1], acted: bob.orderOffset });
    expect(now.filter((ballot) => ballot.key !== ana.key && ballot.key !== bob.key)).toMatchObject([{ choices: [3], acted: 0 }]);
    // The closed poll: the same votes, new keys, no time, stored in the order of the keys.
    const rewritten = await dumpDatabase(db).then((dump) => dump.ballots!.filter((ballot) => ballot.row.poll_id === closed.id).map((ballot) => ballot.row));
    expect(rewritten.map((row) => row.choices).sort()).toEqual([[1], [3]]);
    expect(rewritten.map((row) => row.acted)).toEqual([0, 0]);
    const keys = rewritten.map((row) => row.voter_key as string);
    expect(keys).toEqual([...keys].sort());
    // No old key is left anywhere; a poll that names its voters is untouched.
    const everyKey = (await db.select({ key: ballots.voterKey }).from(ballots)).map((row) => row.key);
    expect(everyKey.filter((key) => oldKeys.includes(key))).toEqual([]);
    expect(await ballotsOf(db, (await pollOf(3)).id)).toEqual(named);

    // Members go on as before: the non-voters are found, and a changed vote replaces the member's ballot.
    expect(text(await core.handleText('poll remind 1', as('coord')))).toBe('I reminded 2 member(s) who have not voted on #1.');
    await core.handleText('vote 1 agree', as('ana'));
    const after = await ballotsOf(db, open.id);
    expect(after).toHaveLength(3);
    expect(after.find((ballot) => ballot.key === ana.key)?.choices).toEqual([1]);

    // A later start finds nothing to do.
    const before = await dumpDatabase(db);
    await upgradeLegacyBallots(db, TEST_SECRET, log);
    expect(await dumpDatabase(db)).toEqual(before);
  });

  it('GIVEN no MINGA_SECRET THEN open polls keep their old keys and the stored secret stays, until MINGA_SECRET is set', async () => {
    const db = database.db;
    const { open } = await seedLegacy(db);
    const rows = async () => Object.values(await dumpDatabase(db)).map((table) => table.map((row) => row.row));
    const before = await rows();
    const { log, lines } = capturedLog();
    await upgradeLegacyBallots(db, undefined, log);
    expect(await rows()).toEqual(before);
    expect(lines).toMatchObject([{ level: 40, polls: 1, msg: expect.stringContaining('MINGA_SECRET') }]);
    await upgradeLegacyBallots(db, TEST_SECRET, log);
    expect(await db.select().from(instanceSecrets)).toEqual([]);
    expect(await db.select({ salt: polls.ballotSalt }).from(polls).where(and(eq(polls.id, open.id)))).toEqual([{ salt: expect.any(String) }]);
  });
});

describe('start-up', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'minga-legacy-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('GIVEN an embedded database with ballots keyed the old way THEN Minga re-keys them under its secret file before it serves', async () => {
    const seeded = await openPglite(dataDir);
    await migrateDatabase(seeded);
    const { open, idOf } = await seedLegacy(seeded.db);
    const anaId = await idOf('ana');
    await seeded.close();

    const minga = await startMinga(() => [], { MINGA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
    await minga.stop();

    const secret = readFileSync(join(dataDir, SECRET_FILE), 'utf8').trim();
    const reopened = await openPglite(dataDir);
    try {
      const [poll] = await reopened.db.select().from(polls).where(eq(polls.id, open.id));
      const ana = voterIdentities(poll!, secret)(anaId);
      expect(await ballotsOf(reopened.db, open.id).then((rows) => rows.find((row) => row.key === ana.key))).toEqual({ key: ana.key, choices: [4], acted: ana.orderOffset });
      expect(await reopened.db.select().from(instanceSecrets)).toEqual([]);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
