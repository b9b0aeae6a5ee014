// Opens the database: PostgreSQL through postgres.js when DATABASE_URL is set, else embedded PGlite in a data directory; applies migrations under an advisory lock.
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { attachIdentityCache, IDENTITY_CHANNEL, IdentityCache, type IdentityRows } from './identity-cache.js';
import * as schema from './schema.js';

export { schema };

/** The drizzle database (or a transaction on it) that the core works with, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** A short description for the start-up line, without credentials. */
  description: string;
  close(): Promise<void>;
}

/** Another process already has the embedded database open. */
export class DatabaseInUseError extends Error {}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any fixed number works; it only has to be the same for every instance of Minga. */
const MIGRATION_LOCK = 730_712_024;

const quiet = () => {};

/**
 * Seconds to wait for a connection to the server (postgres.js waits 30 by default). A command that arrives while the
 * server restarts fails within this and is answered "try again in a moment" (see isDatabaseUnavailable), well inside
 * the 5 s a member should wait; a refused connection fails at once. The pool opens new connections on the next query,
 * so nothing needs to reconnect it after an outage.
 */
export const CONNECT_TIMEOUT_S = 3;

/**
 * Seconds a pool connection waits before trying again after failing to connect. postgres.js's own backoff grows to 20 s
 * over an outage, and queries wait behind it: after a minute's restart, commands would hang for up to 20 s in silence and
 * the pool would come back that late. At most one second, with jitter so instances do not knock in step.
 */
export const reconnectBackoff = (retries: number): number => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);

export async function openDatabase(options: { url?: string; dataDir: string; prepare?: boolean }): Promise<Database> {
  return options.url ? openPostgres(options.url, undefined, { prepare: options.prepare }) : openPglite(options.dataDir);
}

/**
 * The postgres.js client, with every statement prepared on the server. drizzle prepares only what is built with
 * `.prepare()`, inside no transaction; everything else goes as an unnamed statement that the server parses and plans again
 * each time, which cost more than the round trip itself (the identity read: 700 µs built and sent as is, 45 µs prepared;
 * bench/README in the operations section). postgres.js keeps one prepared statement per distinct text per connection, and
 * drizzle's texts are stable (values are parameters). Off with DATABASE_PREPARE=false, for a pooler in transaction mode that
 * cannot keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
 */
function preparingClient<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params, { ...options, prepare: true });
      }
      if (property === 'begin') {
        // A transaction runs on a connection of its own, handed to the callback: prepare there too.
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.Sql).begin(...(args as [string]), (tx) => callback(preparingClient(tx)));
        };
      }
      if (property === 'savepoint') {
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (target as postgres.TransactionSql).savepoint(...(args as [string]), (tx) => callback(preparingClient(tx)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

export async function openPostgres(url: string, max = 10, options: { prepare?: boolean } = {}): Promise<Database> {
  const identity = new IdentityCache();
  const client = postgres(url, { max, onnotice: (notice) => identity.noticed(notice.message), connect_timeout: CONNECT_TIMEOUT_S, backoff: reconnectBackoff });
  const parsed = new URL(url);
  const db = drizzlePostgres(options.prepare === false ? client : preparingClient(client), { schema }) as unknown as Db;
  // Behind a pooler in transaction mode (the reason to turn preparing off) a LISTEN does not hold: no cache there.
  const stopListening = options.prepare === false ? () => {} : listenForIdentityChanges(client, identity);
  if (options.prepare !== false) attachIdentityCache(db, identity);
  return {
    db,
    kind: 'postgres',
    description: `PostgreSQL at ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    close: () => {
      stopListening();
      return client.end({ timeout: 5 });
    },
  };
}

/** How long to wait before listening again when LISTEN failed (the server was out of reach at start). */
const LISTEN_RETRY_MS = 5_000;

/**
 * Hears every instance's changes to identity rows (migration 0009) on a connection of its own. postgres.js listens again
 * by itself after a lost connection and says so through `onlisten`, which empties the cache; a LISTEN refused at start is
 * tried again here. Returns what stops the retries.
 */
function listenForIdentityChanges(client: postgres.Sql, cache: IdentityCache<IdentityRows>): () => void {
  let retry: NodeJS.Timeout | undefined;
  const attempt = () => {
    client.listen(IDENTITY_CHANNEL, (payload) => cache.changed(payload), () => cache.listened()).catch(() => {
      retry = setTimeout(attempt, LISTEN_RETRY_MS).unref();
    });
  };
  attempt();
  return () => clearTimeout(retry);
}

/** Opens (creating if needed) an embedded database. `dataDir` of `memory://` keeps it in memory. */
export async function openPglite(dataDir: string, options: { template?: string } = {}): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDataDir(dataDir);
  let client: PGlite;
  try {
    // PGlite wants a directory of its own; the lock file sits beside it.
    const directory = inMemory ? undefined : join(dataDir, 'pgdata');
    if (directory && !existsSync(join(directory, 'PG_VERSION'))) startFromTemplate(directory, options.template ?? BUILT_TEMPLATE);
    // Loaded here, not at the top: a server on PostgreSQL never holds PGlite's code (about 6 MB of heap).
    const { PGlite } = await import('@electric-sql/pglite');
    client = await PGlite.create(directory, { wasmModule: await pgliteModule() });
  } catch (err) {
    release();
    throw err;
  }
  return {
    db: (await import('drizzle-orm/pglite')).drizzle(client, { schema }) as unknown as Db,
    kind: 'pglite',
    description: inMemory ? 'embedded PGlite in memory' : `embedded PGlite in ${dataDir}`,
    close: async () => {
      await client.close();
      release();
    },
  };
}

/**
 * The build's migrated database (bin/build.mjs), beside the compiled module: a new data directory starts as a copy of it
 * rather than through initdb and every migration, most of a newcomer's first start (README, Performance). A plain copy of
 * files, so nothing is held in memory meanwhile (PGlite's own tarball loading holds the whole directory, 30 MB, twice).
 * Only a build has one; migrateDatabase still applies whatever it lacks, so a template older than the migrations is safe.
 */
const BUILT_TEMPLATE = fileURLToPath(new URL('./pglite-template', import.meta.url));

function startFromTemplate(directory: string, template: string): void {
  if (existsSync(join(template, 'PG_VERSION'))) cpSync(template, directory, { recursive: true });
}

/** Shared buffers for the embedded database: its whole working set for an alliance fits many times over. */
const PGLITE_SHARED_BUFFERS = '16MB';

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * PGlite's PostgreSQL, with smaller shared buffers. PGlite passes `shared_buffers=128MB` on the backend's command line,
 * which outranks postgresql.conf and ALTER SYSTEM, and PostgreSQL zeroes that memory at start: 128 MB resident in
 * every process that opens a database, most of the console's footprint. The setting is a string in the module's data,
 * so it is rewritten there, padded to the same length, before the module is compiled; should a PGlite release spell it
 * otherwise, the module is used as shipped. Compiled once per process, so tests and benchmarks opening many databases share it.
 *
 * It is compiled by V8's baseline compiler alone (Liftoff). By default V8 recompiles PGlite's hot functions with its
 * optimizing compiler in background threads; for an alliance's small queries that costs more than it gives: a cold
 * console took 4.9 s of CPU and 400 MB with it, 3.1 s and 200 MB without (README, Performance). The flag is the
 * process's, but PGlite is the only WebAssembly Minga runs besides undici's HTTP parser, which needs no optimizing.
 */
function pgliteModule(): Promise<WebAssembly.Module> {
  return (compiled ??= (async () => {
    const bytes = readFileSync(join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), 'pglite.wasm'));
    const shipped = Buffer.from('shared_buffers=128MB');
    const at = bytes.indexOf(shipped);
    if (at !== -1 && bytes.indexOf(shipped, at + 1) === -1) {
      const ours = Buffer.alloc(shipped.length);
      ours.write(`shared_buffers=${PGLITE_SHARED_BUFFERS}`);
      ours.copy(bytes, at);
    }
    setFlagsFromString('--liftoff-only');
    return WebAssembly.compile(bytes);
  })());
}

/**
 * PGlite has no protection against a second process opening the same directory, and two writers corrupt it.
 * A lock file holding our pid refuses the second process; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'minga.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockPath, { force: true });
      process.once('exit', release);
      return () => {
        process.off('exit', release);
        release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseInUseError(
          `The embedded database in ${dataDir} is in use by another Minga process (pid ${holder}). ` +
            'Stop that process, or set DATABASE_URL to a PostgreSQL server to run several instances.',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseInUseError(`Could not lock the embedded database in ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The `when` of the newest committed migration, as drizzle records it in `created_at`. */
function newestMigration(): string {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return String(Math.max(...journal.entries.map((entry) => entry.when)));
}

/**
 * Whether the database already has every committed migration: one read, the test drizzle's migrator makes (a migration
 * runs when it is newer than the newest one applied). Migrations only ever add, so a database found current stays so,
 * and the lock and the migrator's own set-up statements can be skipped.
 */
export async function schemaIsCurrent(db: Db): Promise<boolean> {
  try {
    const result = await db.execute<{ newest: string | null }>(sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`);
    const rows = Array.isArray(result) ? result : (result as unknown as { rows: { newest: string | null }[] }).rows;
    const newest = rows[0]?.newest;
    return newest !== null && newest !== undefined && BigInt(newest) >= BigInt(newestMigration());
  } catch {
    // No migrations table yet: a new database.
    return false;
  }
}

/**
 * Applies committed migrations, unless the database has them all already (the usual start). On PostgreSQL several
 * instances may boot together and drizzle's migrate() takes no lock, so it runs on one dedicated connection holding a
 * session advisory lock.
 */
export async function migrateDatabase(database: Database, url?: string): Promise<void> {
  if (await schemaIsCurrent(database.db)) return;
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder });
    return;
  }
  if (!url) throw new Error('migrateDatabase needs the URL of a PostgreSQL database');
  const dedicated = postgres(url, { max: 1, onnotice: quiet, connect_timeout: CONNECT_TIMEOUT_S });
  try {
    await dedicated`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migratePostgres(drizzlePostgres(dedicated), { migrationsFolder });
    } finally {
      await dedicated`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await dedicated.end({ timeout: 5 });
  }
}
