// The database as someone holding a copy of it sees it: every row of every table, with the transaction ids and the physical order Postgres keeps.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';

export interface DumpedRow {
  /** The transaction that wrote this row version. */
  xmin: string;
  /** The transaction that deleted or locked it, or 0. */
  xmax: string;
  /** Where it sits in the table's file; rows are listed in this order, as a plain dump writes them. */
  ctid: string;
  row: Record<string, unknown>;
}

export type Dump = Record<string, DumpedRow[]>;

/** Rows of a raw query, whichever driver is behind `db`. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Every table of the public schema, each row with its system columns, in physical order. */
export async function dumpDatabase(db: Db): Promise<Dump> {
  const tables = await rowsOf<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
  const dump: Dump = {};
  for (const { name } of tables) {
    dump[name] = await rowsOf<DumpedRow>(
      db,
      sql`select xmin::text as xmin, xmax::text as xmax, ctid::text as ctid, to_jsonb(t) as row from ${sql.identifier(name)} t order by ctid`,
    );
  }
  return dump;
}
