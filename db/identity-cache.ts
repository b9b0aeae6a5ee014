// Who is asking, remembered: the workspace, alliance and member rows of members Minga knows, kept per database and dropped as soon as PostgreSQL says one of them changed.
import type { Db } from './connection.js';

/** The channel the identity_changed trigger notifies on (migration 0009); its payload names a row, as `members:12`. */
export const IDENTITY_CHANNEL = 'minga_identity';

/** How the same trigger's NOTICE starts: the session that made the change hears of it before its statement returns. */
const NOTICE_PREFIX = `${IDENTITY_CHANNEL} `;

/** What is remembered of one requester: the rows the identity read returns (see recallActor). */
export interface IdentityRows {
  workspace: { id: number };
  alliance: { id: number };
  member: { id: number };
}

/** Enough for every member of a large alliance active at once; a row is about a kilobyte. */
const MOST_REMEMBERED = 5_000;

/**
 * How long a row is trusted without news. Changes arrive by notification, so this only bounds what a lost notification
 * could cost: while the listening connection is down and reconnecting, another instance's change goes unheard (the cache
 * is emptied when it listens again).
 */
const TRUSTED_MS = 60_000;

/**
 * The cache. It answers only while it listens: before the first LISTEN succeeds, and behind a pooler that cannot keep one
 * (DATABASE_PREPARE=false), every command reads its identity. A read that raced a change is not kept (see `generation`).
 */
export class IdentityCache<T extends IdentityRows> {
  private readonly rows = new Map<string, { rows: T; at: number }>();
  private listening = false;
  /** Bumped by every change heard: a read begun before a change must not store what it read once the change is heard. */
  private generation = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** The current generation, taken before reading from the database, handed back to `remember`. */
  begin(): number {
    return this.generation;
  }

  recall(key: string): T | undefined {
    if (!this.listening) return undefined;
    const entry = this.rows.get(key);
    if (!entry) return undefined;
    if (this.clock() - entry.at > TRUSTED_MS) {
      this.rows.delete(key);
      return undefined;
    }
    return entry.rows;
  }

  remember(key: string, rows: T, generation: number): void {
    if (!this.listening || generation !== this.generation) return;
    if (this.rows.size >= MOST_REMEMBERED) this.rows.delete(this.rows.keys().next().value!);
    // Shared by every command of this requester from now on: nobody may change them in place.
    for (const row of Object.values(rows)) Object.freeze(row);
    this.rows.set(key, { rows: Object.freeze(rows), at: this.clock() });
  }

  /** A row changed (`alliances:3`, `workspaces:5`, `members:12`): forget every requester it belongs to. */
  changed(payload: string): void {
    this.generation += 1;
    const [table, id] = payload.split(':');
    const which = table === 'alliances' ? 'alliance' : table === 'workspaces' ? 'workspace' : table === 'members' ? 'member' : undefined;
    if (!which) return this.forgetAll();
    for (const [key, entry] of this.rows) if (entry.rows[which].id === Number(id)) this.rows.delete(key);
  }

  /** A notice from the database session: the identity_changed trigger's marks a change, anything else is not ours. */
  noticed(message: string | undefined): void {
    if (message?.startsWith(NOTICE_PREFIX)) this.changed(message.slice(NOTICE_PREFIX.length));
  }

  /** LISTEN succeeded, at start or after a reconnect: what was missed meanwhile is unknown, so nothing old is kept. */
  listened(): void {
    this.forgetAll();
    this.listening = true;
  }

  private forgetAll(): void {
    this.generation += 1;
    this.rows.clear();
  }
}

/** Each database's cache, by its drizzle handle: what recallActor is given. */
const caches = new WeakMap<Db, IdentityCache<IdentityRows>>();

export function attachIdentityCache(db: Db, cache: IdentityCache<IdentityRows>): void {
  caches.set(db, cache);
}

/** The identity cache of a database (never of a transaction, which reads its own); undefined where there is none. */
export function identityCacheOf<T extends IdentityRows>(db: Db): IdentityCache<T> | undefined {
  return caches.get(db) as IdentityCache<T> | undefined;
}
