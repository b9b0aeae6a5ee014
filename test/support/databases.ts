// Gives each test file databases of its own: a copy of the migrated PGlite template, and a database on the real server when TEST_DATABASE_URL is set.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../db/connection.js';
import { withDatabase } from './global-setup.js';

export type TargetKind = 'pglite' | 'postgres';

/** The databases every database suite runs against: PGlite always, the real server when CI gives one. */
export function databaseTargets(): TargetKind[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase extends Database {
  /** The connection URL on the real server; undefined for PGlite. */
  url?: string;
}

/** A fresh, migrated database; `close()` also throws it away. */
export async function openTestDatabase(kind: TargetKind): Promise<TestDatabase> {
  return kind === 'pglite' ? copyPglite() : createServerDatabase();
}

async function copyPglite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'minga-db-'));
  cpSync(inject('pgliteTemplate'), dir, { recursive: true });
  const database = await openPglite(dir);
  return {
    ...database,
    close: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An empty database on the server (not migrated), for tests of migration itself. */
export async function createEmptyServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createOnServer(null);
}

async function createServerDatabase(): Promise<TestDatabase> {
  const { url, drop } = await createOnServer(inject('postgresTemplate'));
  const database = await openPostgres(url);
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

async function createOnServer(template: string | null) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `minga_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  return {
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
