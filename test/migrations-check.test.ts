// Start-up skips migration work only when the database already has every committed migration.
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { migrateDatabase, openPglite, openPostgres, schemaIsCurrent, type Database } from '../db/connection.js';
import { createEmptyServerDatabase, databaseTargets, openTestDatabase } from './support/databases.js';

/** A database with no tables at all, on the target given. */
async function emptyDatabase(kind: 'pglite' | 'postgres'): Promise<{ database: Database; url?: string; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openPglite('memory://');
    return { database, drop: () => database.close() };
  }
  const empty = await createEmptyServerDatabase();
  const database = await openPostgres(empty.url, 2);
  return { database, url: empty.url, drop: async () => (await database.close(), await empty.drop()) };
}

describe.each(databaseTargets())('the migrations check on %s', (kind) => {
  it('GIVEN a migrated database THEN the schema is current', async () => {
    const database = await openTestDatabase(kind);
    try {
      expect(await schemaIsCurrent(database.db)).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('GIVEN a new database THEN it is not current, and migrating makes it so', async () => {
    const { database, url, drop } = await emptyDatabase(kind);
    try {
      expect(await schemaIsCurrent(database.db)).toBe(false);
      await migrateDatabase(database, url);
      expect(await schemaIsCurrent(database.db)).toBe(true);
    } finally {
      await drop();
    }
  });

  it('GIVEN a database missing the newest migration THEN it is not current', async () => {
    const { database, url, drop } = await emptyDatabase(kind);
    try {
      await migrateDatabase(database, url);
      await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
      expect(await schemaIsCurrent(database.db)).toBe(false);
    } finally {
      await drop();
    }
  });
});

describe('a new embedded data directory', () => {
  it('GIVEN a built template THEN it starts as a copy of it, with every migration already applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minga-fresh-'));
    const database = await openPglite(dir, { template: join(inject('pgliteTemplate'), 'pgdata') });
    try {
      expect(await schemaIsCurrent(database.db)).toBe(true);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN no template THEN it is made from scratch, and migrating makes it current', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minga-fresh-'));
    const database = await openPglite(dir, { template: join(dir, 'no-template-here') });
    try {
      expect(await schemaIsCurrent(database.db)).toBe(false);
      await migrateDatabase(database);
      expect(await schemaIsCurrent(database.db)).toBe(true);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
