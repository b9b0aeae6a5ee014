// Statements prepared once: drizzle builds them once, and the server parses and plans them once per connection, inside transactions too.
import { Column, getTableName, is, noopDecoder, SQL, Subquery } from 'drizzle-orm';
import type { Db } from './connection.js';

/**
 * What drizzle's prepared statements hold and we use: their connection (postgres.js and PGlite both call it `client`), and
 * for a select or a `returning`, the columns it reads and how their rows are mapped.
 */
interface Bound {
  client: unknown;
  fields?: SelectedField[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: (rows: unknown[][]) => unknown;
}

/** One column of a statement's result as drizzle describes it: where it goes in the row object, and what decodes it. */
interface SelectedField {
  path: string[];
  field: unknown;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
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
  if (!statement) {
    statement = build(db) as T & Bound;
    if (statement.fields && !statement.customResultMapper) statement.customResultMapper = rowMapper(statement.fields, statement.joinsNotNullableMap);
    byName.set(name, statement);
  }
  if (statement.client === session.client) return statement;
  return Object.assign(Object.create(Object.getPrototypeOf(statement) as object) as T & Bound, statement, { client: session.client });
}

/**
 * drizzle's own row mapping (mapResultRow), worked out once per statement instead of once per row: which decoder each
 * column takes, where it goes, and which left-joined object becomes null when its first column is. drizzle asks what
 * kind each field is on every row, walking class chains, which on a 20-row list cost more than running the query.
 */
function rowMapper(fields: SelectedField[], joinsNotNullable?: Record<string, boolean>): (rows: unknown[][]) => Record<string, unknown>[] {
  // A column whose decoder hands values back as they came (text, most SQL) is not called at all.
  const columns = fields.map(({ path, field }) => {
    const decoder = decoderOf(field);
    const asIs = decoder === noopDecoder || decoder.mapFromDriverValue === Column.prototype.mapFromDriverValue;
    return { path, decoder: asIs ? undefined : decoder };
  });
  // As drizzle decides it: an object of a left join is null when its first column is null, unless it mixes tables.
  const nullable: { name: string; index: number }[] = [];
  if (joinsNotNullable) {
    const firsts = new Map<string, { index: number; table: string; mixed: boolean }>();
    fields.forEach(({ path, field }, index) => {
      if (path.length !== 2 || !is(field, Column)) return;
      const table = getTableName(field.table);
      const first = firsts.get(path[0]!);
      if (!first) firsts.set(path[0]!, { index, table, mixed: false });
      else if (first.table !== table) first.mixed = true;
    });
    for (const [name, first] of firsts) if (!first.mixed && !joinsNotNullable[first.table]) nullable.push({ name, index: first.index });
  }
  const mapRow = (row: unknown[]) => {
    const result: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i += 1) {
      const { path, decoder } = columns[i]!;
      const raw = row[i];
      const value = raw === null || !decoder ? raw : decoder.mapFromDriverValue(raw);
      // Selections nest one level at most here ({ task: { id, … } }); deeper ones take the general way.
      if (path.length === 1) result[path[0]!] = value;
      else if (path.length === 2) ((result[path[0]!] ??= {}) as Record<string, unknown>)[path[1]!] = value;
      else {
        let node = result;
        for (let depth = 0; depth < path.length - 1; depth += 1) node = (node[path[depth]!] ??= {}) as Record<string, unknown>;
        node[path[path.length - 1]!] = value;
      }
    }
    for (const { name, index } of nullable) if (row[index] === null) result[name] = null;
    return result;
  };
  return (rows) => rows.map(mapRow);
}

/** drizzle's choice of decoder for a field (`decoder` is internal to drizzle's SQL, hence the casts). */
function decoderOf(field: unknown): Decoder {
  type Decoded = { decoder: Decoder };
  if (is(field, Column)) return field;
  if (is(field, SQL)) return (field as unknown as Decoded).decoder;
  if (is(field, Subquery)) return (field as unknown as { _: { sql: Decoded } })._.sql.decoder;
  return (field as unknown as { sql: Decoded }).sql.decoder;
}
