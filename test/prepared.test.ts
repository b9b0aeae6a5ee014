// Prepared statements: on by default on the server (every statement drizzle sends, in and out of transactions), off with DATABASE_PREPARE=false; and the rows of ours, mapped once per statement as drizzle maps them.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { openPostgres, type Db } from '../db/connection.js';
import { prepared } from '../db/prepared.js';
import { alliances, members, tasks, workspaces } from '../db/schema.js';
import { loadConfig } from '../src/config.js';
import { createEmptyServerDatabase, openTestDatabase } from './support/databases.js';

describe('DATABASE_PREPARE', () => {
  it('GIVEN nothing THEN statements are prepared; GIVEN false THEN not; GIVEN anything else THEN the variable is named', () => {
    expect(loadConfig({}).DATABASE_PREPARE).toBe(true);
    expect(loadConfig({ DATABASE_PREPARE: '' }).DATABASE_PREPARE).toBe(true);
    expect(loadConfig({ DATABASE_PREPARE: 'false' }).DATABASE_PREPARE).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARE: 'no' })).toThrow(/DATABASE_PREPARE/);
  });
});

describe.runIf(inject('postgresTemplate'))('prepared statements on the server', () => {
  /** Whether the transaction's connection holds the drizzle query it ran prepared (0 or 1). */
  async function preparedAfterAQuery(prepare: boolean): Promise<number> {
    const server = await createEmptyServerDatabase();
    const database = await openPostgres(server.url, 1, { prepare });
    try {
      await database.db.execute(sql`create table tasks (id int, alliance_id int)`);
      return await database.db.transaction(async (tx) => {
        // With a parameter: postgres.js sends a statement without any by the simple protocol, never prepared.
        await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.allianceId, 1));
        const [row] = (await tx.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like '%from "tasks"%'`)) as unknown as { n: number }[];
        return row!.n;
      });
    } finally {
      await database.close();
      await server.drop();
    }
  }

  it('GIVEN the default THEN a statement sent in a transaction is prepared on its connection', async () => {
    expect(await preparedAfterAQuery(true)).toBe(1);
  });

  it('GIVEN prepare off THEN nothing is prepared', async () => {
    expect(await preparedAfterAQuery(false)).toBe(0);
  });
});

describe('rows of a prepared statement', () => {
  it('GIVEN a left join with and without a match, nested and computed columns THEN they come as drizzle maps them', async () => {
    const database = await openTestDatabase('pglite');
    try {
      const { db } = database;
      const [alliance] = await db.insert(alliances).values({ name: 'Red' }).returning();
      const [workspace] = await db.insert(workspaces).values({ allianceId: alliance!.id, platform: 'console', externalId: 'ws' }).returning();
      const [ana] = await db.insert(members).values({ allianceId: alliance!.id, workspaceId: workspace!.id, platformUserId: 'ana', displayName: 'Ana' }).returning();
      await db.insert(tasks).values([
        { allianceId: alliance!.id, number: 1, title: 'Banners', createdBy: ana!.id, assigneeMemberId: ana!.id, dueOn: '2026-12-01' },
        { allianceId: alliance!.id, number: 2, title: 'Flyers', createdBy: ana!.id },
      ]);
      const build = (on: Db) =>
        on
          .select({ task: { id: tasks.id, title: tasks.title, dueOn: tasks.dueOn, createdAt: tasks.createdAt }, assignee: members, shout: sql<string>`upper(${tasks.title})`, total: sql<number>`count(*) over ()`.mapWith(Number) })
          .from(tasks)
          .leftJoin(members, eq(members.id, tasks.assigneeMemberId))
          .orderBy(tasks.number);
      const ours = await prepared(db, 'test_rows_mapped', (on) => build(on).prepare('test_rows_mapped')).execute();
      const drizzles = await build(db);
      expect(ours).toEqual(drizzles);
      expect(ours[1]!.assignee).toBeNull();
      expect(ours[0]!.task.createdAt).toBeInstanceOf(Date);
    } finally {
      await database.close();
    }
  });
});
