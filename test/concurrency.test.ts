// What only the real server can prove: concurrent commands and instances coordinate through Postgres, never through memory.
import { and, eq, isNull, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openPostgres } from '../db/connection.js';
import { pino } from 'pino';
import { alliances, ballots, polls, scheduledJobs, tasks, workspaces } from '../db/schema.js';
import { pollJobHandlers } from '../src/poll-jobs.js';
import { replyTexts } from '../src/reply.js';
import { scheduleJob } from '../src/scheduler/jobs.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import { createTestCore, requester, TEST_SECRET, text, type TestCore } from './support/core.js';
import { pollRig } from './support/polls.js';
import { createEmptyServerDatabase, databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

const onServer = databaseTargets().includes('postgres');

describe.skipIf(!onServer)('concurrency on the real server', () => {
  let database: TestDatabase;
  let core: TestCore;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  it('GIVEN 50 simultaneous task adds in one alliance THEN they get 50 distinct numbers, 1 to 50', async () => {
    const who = requester({ workspaceId: 'busy', userId: 'coord' });
    await core.handleText('help', who);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => core.handleText(`task add Task ${i}`, requester({ workspaceId: 'busy', userId: `m${i % 7}` }))),
    );
    expect(replies.filter((reply) => reply.error)).toEqual([]);
    const numbers = (await database.db.select({ number: tasks.number }).from(tasks)).map((row) => row.number);
    expect(new Set(numbers).size).toBe(50);
    expect(Math.max(...numbers)).toBe(50);
  });

  it('GIVEN 20 first commands from a new workspace at once THEN exactly one alliance and workspace are created', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => core.handleText('task list', requester({ workspaceId: 'fresh', userId: `u${i}` }))),
    );
    expect(replies.map(text).every((reply) => reply.includes('No tasks here'))).toBe(true);
    const found = await database.db.select().from(workspaces).where(eq(workspaces.externalId, 'fresh'));
    expect(found).toHaveLength(1);
    const allianceRows = await database.db.select().from(alliances).where(eq(alliances.name, 'fresh'));
    expect(allianceRows).toHaveLength(1);
  });

  it('GIVEN three instances ticking together THEN each due poll closes once and its outcome is posted once', async () => {
    const rig = pollRig(database.db);
    const coord = requester({ workspaceId: 'three', userId: 'coord', channelId: 'C1' });
    for (let i = 0; i < 5; i++) await rig.core.handleText(`poll "Q${i}" "A" "B" --closes in 1 hour`, coord);
    const postsBefore = rig.delivery.posts.length;
    const instances = await Promise.all([1, 2, 3].map(() => openPostgres(database.url!, 4)));
    const log = pino({ level: 'silent' });
    const later = () => new Date(rig.clock.now.getTime() + 2 * 3_600_000);
    const schedulers = instances.map((instance) =>
      createScheduler({
        db: instance.db,
        log,
        now: later,
        handlers: pollJobHandlers({ db: instance.db, delivery: rig.delivery, defaults: { locale: 'en', timeZone: 'UTC' }, log, now: later, secret: TEST_SECRET }),
      }),
    );
    for (let round = 0; round < 3; round++) await Promise.all(schedulers.flatMap((scheduler) => [scheduler.tick(), scheduler.tick()]));
    await Promise.all(instances.map((instance) => instance.close()));
    const outcomes = rig.delivery.posts.slice(postsBefore).filter((post) => replyTexts(post.reply).some((line) => line.startsWith('Outcome:')));
    expect(outcomes).toHaveLength(5);
    expect(new Set(outcomes.map((post) => post.reply.heading)).size).toBe(5);
  });

  it('GIVEN three instances with pools and 300 jobs due together THEN each job runs exactly once', async () => {
    const [alliance] = await database.db.insert(alliances).values({ name: 'three-pools' }).returning();
    const due = new Date('2026-11-27T09:00:00Z');
    for (let i = 0; i < 300; i++) {
      await scheduleJob(database.db, { allianceId: alliance!.id, kind: 'reminder.send', key: `pools:${i}`, runAt: due, payload: { reminderId: i, due: due.toISOString() } });
    }
    const ran: string[] = [];
    const instances = await Promise.all([1, 2, 3].map(() => openPostgres(database.url!, 4)));
    const log = pino({ level: 'silent' });
    const later = () => new Date(due.getTime() + 1000);
    const schedulers = instances.map((instance) =>
      createScheduler({
        db: instance.db,
        log,
        now: later,
        batch: 7,
        concurrency: 8,
        handlers: {
          // A platform call: long enough for the instances' claims to interleave.
          'reminder.send': async (job) => {
            await new Promise((resolve) => setTimeout(resolve, 2));
            ran.push(job.key);
          },
        },
      }),
    );
    // Each instance ticking twice at once, as cron and a kick might: the second is skipped or claims beside the first.
    for (let round = 0; round < 2; round++) await Promise.all(schedulers.flatMap((scheduler) => [scheduler.tick(), scheduler.tick()]));
    await Promise.all(instances.map((instance) => instance.close()));
    expect(ran).toHaveLength(300);
    expect(new Set(ran).size).toBe(300);
    const left = await database.db.select().from(scheduledJobs).where(and(like(scheduledJobs.key, 'pools:%'), isNull(scheduledJobs.doneAt)));
    expect(left).toEqual([]);
  });

  it('GIVEN one member clicking options of a multiple-choice poll many times at once THEN one consistent ballot remains', async () => {
    const rig = pollRig(database.db);
    const coord = requester({ workspaceId: 'clicks', userId: 'coord', channelId: 'C1' });
    await rig.core.handleText('poll "Days" "Mon" "Tue" "Wed" --multi', coord);
    const buttons = rig.delivery.posts.at(-1)!.reply.buttons!;
    const ana = requester({ workspaceId: 'clicks', userId: 'ana' });
    await Promise.all(Array.from({ length: 30 }, (_, i) => rig.core.handleAction('poll.vote', buttons[i % 3]!.value, ana)));
    const [poll] = await database.db.select().from(polls).where(eq(polls.question, 'Days'));
    const rows = await database.db.select().from(ballots).where(eq(ballots.pollId, poll!.id));
    // Toggles handled after a later one are skipped, so which options remain depends on the order: one ballot at most, without duplicates.
    expect(rows.length).toBeLessThanOrEqual(1);
    for (const row of rows) expect(new Set(row.choices).size).toBe(row.choices.length);
  });

  it('GIVEN 300 known members voting while the poll is closed THEN every ballot counted was cast before the close, and every vote after it is refused', async () => {
    const who = (i: number) => requester({ workspaceId: 'close-race', userId: `voter${i}` });
    await core.handleText('poll "Where?" "Lima" "Cusco"', who(0));
    const [poll] = await database.db.select().from(polls).where(eq(polls.question, 'Where?'));
    // Known members: their votes run without a transaction, each ballot one statement (castBallot).
    for (let i = 0; i < 300; i += 1) await core.handleText('help', who(i));
    const countBallots = async () => (await database.db.select().from(ballots).where(eq(ballots.pollId, poll!.id))).length;
    let atClose = -1;
    const votes = Array.from({ length: 280 }, (_, i) => core.handleText(`vote ${poll!.number} ${(i % 2) + 1}`, who(i)));
    const closing = (async () => {
      // Closed once the first ballots are in, with most of the burst still under way.
      while ((await countBallots()) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      await core.handleText(`poll close ${poll!.number}`, who(0));
      atClose = await countBallots();
    })();
    const receipts = (await Promise.all(votes)).map(text);
    await closing;
    // And some come after the close: all refused.
    const late = await Promise.all(Array.from({ length: 20 }, (_, i) => core.handleText(`vote ${poll!.number} 1`, who(280 + i))));
    expect(late.map(text).every((receipt) => receipt.includes('is closed'))).toBe(true);
    const accepted = receipts.filter((receipt) => !receipt.includes('is closed')).length;
    expect(await countBallots()).toBe(atClose);
    expect(accepted).toBe(atClose);
    expect(accepted).toBeGreaterThan(0);
  });

  it('GIVEN three instances booting together on an empty database THEN all migrate without error', async () => {
    const empty = await createEmptyServerDatabase();
    try {
      const instances = await Promise.all([1, 2, 3].map(() => openPostgres(empty.url, 2)));
      await Promise.all(instances.map((instance) => migrateDatabase(instance, empty.url)));
      const rows = await instances[0]!.db.select().from(tasks);
      expect(rows).toEqual([]);
      await Promise.all(instances.map((instance) => instance.close()));
    } finally {
      await empty.drop();
    }
  });
});
