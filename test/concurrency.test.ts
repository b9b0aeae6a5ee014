// What only the real server can prove: concurrent commands and instances coordinate through Postgres, never through memory.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openPostgres } from '../db/connection.js';
import { alliances, tasks, workspaces } from '../db/schema.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { createEmptyServerDatabase, databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

const onServer = databaseTargets().includes('postgres');

describe.skipIf(!onServer)('concurrency on the real server', () => {
  let database: TestDatabase;
  let core: TestCore;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  it('GIVEN 50 simultaneous task adds in one alliance THEN they get 50 distinct numbers, 1 to 50', async () => {
    const who = requester({ workspaceId: 'busy', userId: 'coord' });
    await core.handleText('help', who);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => core.handleText(`task add Task ${i}`, requester({ workspaceId: 'busy', userId: `m${i % 7}` }))),
    );
    expect(replies.filter((reply) => reply.error)).toEqual([]);
    const numbers = (await database.db.select({ number: tasks.number }).from(tasks)).map((row) => row.number);
    expect(new Set(numbers).size).toBe(50);
    expect(Math.max(...numbers)).toBe(50);
  });

  it('GIVEN 20 first commands from a new workspace at once THEN exactly one alliance and workspace are created', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => core.handleText('task list', requester({ workspaceId: 'fresh', userId: `u${i}` }))),
    );
    expect(replies.map(text).every((reply) => reply.includes('No tasks here'))).toBe(true);
    const found = await database.db.select().from(workspaces).where(eq(workspaces.externalId, 'fresh'));
    expect(found).toHaveLength(1);
    const allianceRows = await database.db.select().from(alliances).where(eq(alliances.name, 'fresh'));
    expect(allianceRows).toHaveLength(1);
  });

  it('GIVEN three instances booting together on an empty database THEN all migrate without error', async () => {
    const empty = await createEmptyServerDatabase();
    try {
      const instances = await Promise.all([1, 2, 3].map(() => openPostgres(empty.url, 2)));
      await Promise.all(instances.map((instance) => migrateDatabase(instance, empty.url)));
      const rows = await instances[0]!.db.select().from(tasks);
      expect(rows).toEqual([]);
      await Promise.all(instances.map((instance) => instance.close()));
    } finally {
      await empty.drop();
    }
  });
});
