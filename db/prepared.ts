// Statements prepared once per database object: drizzle builds them once, and the server parses and plans them once per connection.
import type { Db } from './connection.js';

const statements = new WeakMap<Db, Map<string, unknown>>();

/**
 * The statement `name` made by `build` on `db`, built on first use. drizzle binds a prepared statement to the connection it
 * was made on, so a transaction object (a connection of its own) gets its own copy: prepare on the database object for the
 * statements that run outside a transaction, which is where this pays (see db/connection.ts). Values go in as
 * `sql.placeholder(...)`; `name` must say everything else the statement depends on.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let byName = statements.get(db);
  if (!byName) statements.set(db, (byName = new Map()));
  let statement = byName.get(name) as T | undefined;
  if (statement === undefined) byName.set(name, (statement = build(db)));
  return statement;
}
