// Short per-alliance numbers (#1, #2, …): one counter row per alliance and kind, bumped by an upsert that row-locks, so concurrent adds never share a number.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { allianceCounters } from '../db/schema.js';

export async function nextNumber(tx: Db, allianceId: number, kind: 'task' | 'poll' | 'reminder' | 'resource'): Promise<number> {
  const [row] = await tx
    .insert(allianceCounters)
    .values({ allianceId, kind, last: 1 })
    .onConflictDoUpdate({
      target: [allianceCounters.allianceId, allianceCounters.kind],
      set: { last: sql`${allianceCounters.last} + 1` },
    })
    .returning({ last: allianceCounters.last });
  return row!.last;
}
