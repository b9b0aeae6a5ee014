// Prepared statements: on by default on the server (every statement drizzle sends, in and out of transactions), off with DATABASE_PREPARE=false.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../db/connection.js';
import { tasks } from '../db/schema.js';
import { loadConfig } from '../src/config.js';
import { createEmptyServerDatabase } from './support/databases.js';

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
