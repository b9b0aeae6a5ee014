// The identity cache: what it keeps and forgets (GIVEN/THEN), and on the real server, that no instance acts on an old role, language or alliance once a change is committed, in its own instance at once and in another within a moment.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openPostgres, type Database } from '../db/connection.js';
import { IdentityCache, identityCacheOf, type IdentityRows } from '../db/identity-cache.js';
import { members } from '../db/schema.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { openTestDatabase, type TestDatabase } from './support/databases.js';

type Known = IdentityRows & { member: { id: number; platformUserId: string } };

const rows = (member: number, workspace = 1, alliance = 1): IdentityRows => ({ member: { id: member }, workspace: { id: workspace }, alliance: { id: alliance } });

describe('IdentityCache', () => {
  function listening(clock = () => 0) {
    const cache = new IdentityCache(clock);
    cache.listened();
    return cache;
  }

  it('GIVEN it does not listen yet THEN it remembers nothing', () => {
    const cache = new IdentityCache();
    cache.remember('ana', rows(1), cache.begin());
    expect(cache.recall('ana')).toBeUndefined();
  });

  it('GIVEN a remembered requester THEN the same rows come back, frozen', () => {
    const cache = listening();
    cache.remember('ana', rows(1), cache.begin());
    const recalled = cache.recall('ana')!;
    expect(recalled.member.id).toBe(1);
    expect(Object.isFrozen(recalled.member)).toBe(true);
  });

  it('GIVEN a change to a member, a workspace or an alliance THEN every requester it belongs to is forgotten, no one else', () => {
    const cache = listening();
    cache.remember('ana', rows(1, 1, 1), cache.begin());
    cache.remember('bob', rows(2, 1, 1), cache.begin());
    cache.remember('eva', rows(3, 2, 2), cache.begin());
    cache.changed('members:1');
    expect([cache.recall('ana'), cache.recall('bob')?.member.id, cache.recall('eva')?.member.id]).toEqual([undefined, 2, 3]);
    cache.changed('workspaces:2');
    expect([cache.recall('bob')?.member.id, cache.recall('eva')]).toEqual([2, undefined]);
    cache.changed('alliances:1');
    expect(cache.recall('bob')).toBeUndefined();
  });

  it('GIVEN the trigger\'s notice THEN it counts as a change; GIVEN any other notice THEN nothing happens', () => {
    const cache = listening();
    cache.remember('ana', rows(1), cache.begin());
    cache.noticed('relation "x" already exists, skipping');
    expect(cache.recall('ana')).toBeDefined();
    cache.noticed('minga_identity members:1');
    expect(cache.recall('ana')).toBeUndefined();
  });

  it('GIVEN a read begun before a change was heard THEN what it read is not kept', () => {
    const cache = listening();
    const before = cache.begin();
    cache.changed('members:9');
    cache.remember('ana', rows(1), before);
    expect(cache.recall('ana')).toBeUndefined();
  });

  it('GIVEN a minute without news THEN the row is read again; GIVEN a new LISTEN THEN everything is', () => {
    let now = 0;
    const cache = listening(() => now);
    cache.remember('ana', rows(1), cache.begin());
    cache.remember('bob', rows(2), cache.begin());
    now = 60_001;
    expect(cache.recall('ana')).toBeUndefined();
    now = 0;
    cache.listened();
    expect(cache.recall('bob')).toBeUndefined();
  });
});

describe.runIf(inject('postgresTemplate'))('identity cache on the real server', () => {
  let database: TestDatabase;
  /** A second Minga instance on the same database: its own pool, listener and cache. */
  let other: Database;
  let core: TestCore;
  let otherCore: TestCore;
  const ana = requester({ userId: 'ana', userName: 'ana' });
  const bob = requester({ userId: 'bob', userName: 'bob' });

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    other = await openPostgres(database.url!, 4);
    core = createTestCore(database.db);
    otherCore = createTestCore(other.db);
    // ana made the workspace: its first coordinator. bob is a member.
    await core.handleText('help', ana);
    await core.handleText('help', bob);
    // Both instances listen (LISTEN is sent as the pool opens) and remember bob.
    for (const [instance, db] of [[core, database.db], [otherCore, other.db]] as const) {
      await vi.waitFor(async () => {
        await instance.handleText('help', bob);
        expect(identityCacheOf(db)?.recall('console\nws-1\nbob')).toBeDefined();
      });
    }
  });

  afterAll(async () => {
    await other?.close();
    await database?.close();
  });

  it('GIVEN a language change THEN the next command in the same instance answers in it, at once, every time', async () => {
    for (let round = 0; round < 20; round += 1) {
      await core.handleText(round % 2 ? 'lang en' : 'idioma es', bob);
      const help = text(await core.handleText('help', bob));
      expect(help).toContain(round % 2 ? 'what I can do' : 'lo que puedo hacer');
    }
  });

  it('GIVEN bob is made a coordinator and then not in one instance THEN the other acts on each change within a moment', async () => {
    // Both instances know bob as a member.
    expect(text(await otherCore.handleText('alliance rename "Red Norte"', bob))).toContain('Only a coordinator');
    expect(text(await core.handleText('alliance rename "Red Norte"', bob))).toContain('Only a coordinator');
    await core.handleText('coordinator add @bob', ana);
    await vi.waitFor(async () => expect(text(await otherCore.handleText('alliance rename "Red Norte"', bob))).not.toContain('Only a coordinator'), { timeout: 2_000 });
    await otherCore.handleText('coordinator remove @bob', ana);
    // The instance that made the change knows at once; the first one within a moment.
    expect(text(await otherCore.handleText('alliance rename "Red Sur"', bob))).toContain('Only a coordinator');
    await vi.waitFor(async () => expect(text(await core.handleText('alliance rename "Red Sur"', bob))).toContain('Only a coordinator'), { timeout: 2_000 });
  });

  it('GIVEN a change made outside Minga (SQL on another connection) THEN it is heard too', async () => {
    await core.handleText('lang en', bob);
    expect(text(await core.handleText('help', bob))).toContain('what I can do');
    await other.db.update(members).set({ locale: 'es' }).where(eq(members.platformUserId, 'bob'));
    await vi.waitFor(async () => expect(text(await core.handleText('help', bob))).toContain('lo que puedo hacer'), { timeout: 2_000 });
  });

  it('GIVEN a known member THEN the instance remembers them; GIVEN DATABASE_PREPARE=false THEN no instance does', async () => {
    await core.handleText('help', ana);
    expect(identityCacheOf<Known>(database.db)?.recall('console\nws-1\nana')?.member.platformUserId).toBe('ana');
    const pooled = await openPostgres(database.url!, 2, { prepare: false });
    try {
      expect(identityCacheOf(pooled.db)).toBeUndefined();
      expect(text(await createTestCore(pooled.db).handleText('help', ana))).toContain('what I can do');
    } finally {
      await pooled.close();
    }
  });
});
