// Benchmark: 1,000 members voting in a burst through the core handler, with the scheduler refreshing the poll message meanwhile; reports ballots/s, latency and edits issued.
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database } from '../db/connection.js';
import type { Delivery } from '../src/delivery.js';
import { createCore } from '../src/handler.js';
import { pollJobHandlers } from '../src/poll-jobs.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import { measureAlternating, report } from './stats.js';

/** As MINGA_SECRET would give it: the burst may include anonymous polls. */
const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export async function benchPolls(database: Database, label: string): Promise<void> {
  const log = pino({ level: 'silent' });
  const defaults = { locale: 'en' as const, timeZone: 'UTC' };
  let posts = 0;
  let edits = 0;
  const delivery: Delivery = {
    post: async () => String(++posts),
    edit: async () => void edits++,
    sendDirect: async () => 'dm',
    canPost: async () => true,
  };
  const scheduler = createScheduler({ db: database.db, log, handlers: pollJobHandlers({ db: database.db, delivery, defaults, log, now: () => new Date(), secret: BENCH_SECRET }) });
  const core = createCore({ db: database.db, defaults, log, kick: (keys) => scheduler.kick(keys), secret: BENCH_SECRET });
  const workspace = `bench-polls-${Date.now()}`;
  const who = (i: number) => ({ platform: 'console' as const, workspaceId: workspace, userId: `voter${i}`, channelId: 'C1' });
  await core.handleText('help', who(0));
  await core.handleText('poll "Where do we meet?" "Lima" "Cusco" "Arequipa" "Online"', who(0));
  scheduler.start();
  const members = 1000;
  const concurrency = 100;
  const bare = { name: `bare transaction (select 1), c=${concurrency}`, run: () => database.db.transaction((tx) => tx.execute(sql`select 1`)) };
  edits = 0;
  const started = Date.now();
  // First the members' first contact with Minga (each vote creates its member), then the same members voting on a second
  // poll, as they would in an alliance that uses Minga: the figure the goal is about. Each takes turns with the floor, so
  // the machine's drift weighs on both alike (see measureAlternating).
  const [firstFloor, firstVotes] = await measureAlternating(
    [bare, { name: `vote at first contact, ${members} members, c=${concurrency}`, run: (i) => core.handleText(`vote 1 ${(i % 4) + 1}`, who(i)) }],
    members,
    concurrency,
  );
  await core.handleText('poll "And when?" "Monday" "Tuesday" "Wednesday" "Thursday"', who(0));
  const [baseline, votes] = await measureAlternating(
    [bare, { name: `vote, ${members} members, c=${concurrency}`, run: (i) => core.handleText(`vote 2 ${(i % 4) + 1}`, who(i)) }],
    members,
    concurrency,
  );
  // Let the last coalesced refresh go out, then stop.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  await scheduler.stop();
  const seconds = (Date.now() - started) / 1000;
  report(`poll burst on ${label}`, baseline!, [votes!]);
  report(`poll burst on ${label}, first contact`, firstFloor!, [firstVotes!]);
  console.log(`message edits issued: ${edits} for ${2 * members} ballots on two polls over ${seconds.toFixed(1)} s (coalesced to at most one a second per poll)`);
}
