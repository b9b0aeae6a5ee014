// Statements prepared once: drizzle builds them once, and the server parses and plans them once per connection, inside transactions too.
import type { Db } from './connection.js';

/** What drizzle's prepared statements hold of their connection (postgres.js and PGlite both call it `client`). */
interface Bound {
  client: unknown;
}

/** Prepared statements by driver (the session's class: PGlite and postgres.js differ) and name. */
const statements = new Map<unknown, Map<string, Bound>>();

/**
 * The statement `name`, made by `build` the first time it is asked for, run on `db`'s connection (a database's pool or a
 * transaction's own connection). drizzle binds a prepared statement to the session it was made on, so it could not serve
 * a transaction; here one statement is built once per process and driver, and each use gets a copy bound to the session at
 * hand, which is all that differs. Values go in as `sql.placeholder(...)` at `execute`; `name` must say everything else the
 * statement depends on. Worth it on every hot path: building a join in drizzle costs more than the server takes to run it.
 */
export function prepared<T extends object>(db: Db, name: string, build: (db: Db) => T): T {
  const session = (db as unknown as { session: Bound }).session;
  let byName = statements.get(session.constructor);
  if (!byName) statements.set(session.constructor, (byName = new Map()));
  let statement = byName.get(name) as (T & Bound) | undefined;
  if (!statement) byName.set(name, (statement = build(db) as T & Bound));
  if (statement.client === session.client) return statement;
  return Object.assign(Object.create(Object.getPrototypeOf(statement) as object) as T & Bound, statement, { client: session.client });
}
