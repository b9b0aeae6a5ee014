// Benchmark: `task add` and `task list` through the core handler, against a bare transaction on the same database as baseline.
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database } from '../db/connection.js';
import { createCore } from '../src/handler.js';
import { measure, report } from './stats.js';

export async function benchTasks(database: Database, label: string): Promise<void> {
  const core = createCore({ db: database.db, defaults: { locale: 'en', timeZone: 'UTC' }, log: pino({ level: 'silent' }) });
  const who = (i: number) => ({ platform: 'console' as const, workspaceId: `bench-${Date.now() % 1e6}`, userId: `m${i % 20}` });
  await core.handleText('help', who(0));
  for (const concurrency of [1, 16]) {
    const n = 400;
    const baseline = await measure(`bare transaction (select 1), c=${concurrency}`, n, concurrency, () =>
      database.db.transaction((tx) => tx.execute(sql`select 1`)),
    );
    const add = await measure(`task add, c=${concurrency}`, n, concurrency, (i) => core.handleText(`task add Bench task ${i} due tomorrow`, who(i)));
    const list = await measure(`task list (50 shown), c=${concurrency}`, n / 4, concurrency, (i) => core.handleText('task list', who(i)));
    report(`tasks on ${label}, concurrency ${concurrency}`, baseline, [add, list]);
  }
}
