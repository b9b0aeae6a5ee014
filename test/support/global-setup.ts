// Once per test run: a migrated PGlite data directory and, with TEST_DATABASE_URL, a migrated template database on the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openPglite } from '../../db/connection.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'minga-test-'));
  const template = join(root, 'template');
  const pglite = await openPglite(template);
  await migrateDatabase(pglite);
  await pglite.close();
  project.provide('pgliteTemplate', template);

  const serverUrl = process.env.TEST_DATABASE_URL;
  let templateName: string | null = null;
  if (serverUrl) {
    templateName = `minga_template_${process.pid}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${templateName}`);
    await admin.unsafe(`create database ${templateName}`);
    await admin.end();
    const url = withDatabase(serverUrl, templateName);
    const { openPostgres } = await import('../../db/connection.js');
    const server = await openPostgres(url, 1);
    await migrateDatabase(server, url);
    await server.close();
  }
  project.provide('postgresTemplate', templateName);

  return async () => {
    rmSync(root, { recursive: true, force: true });
    if (serverUrl && templateName) {
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${templateName} with (force)`);
      await admin.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
