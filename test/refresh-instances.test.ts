// Poll-message refreshes coalesce across instances on the real server: a click burst spread over three instances (three connections, three schedulers) edits the message at most once per REFRESH_SPACING_MS of their shared, injected clock.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../db/connection.js';
import { polls } from '../db/schema.js';
import { pollView, REFRESH_SPACING_MS } from '../src/polls.js';
import { renderPoll } from '../src/render/polls.js';
import { FIXED_NOW, requester } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { recordingDelivery } from './support/delivery.js';
import { wirePolls } from './support/polls.js';

const onServer = databaseTargets().includes('postgres');

/** The burst: this many steps of the clock, each with one click on every instance, and every instance ticking. */
const STEPS = 50;
const STEP_MS = 100;

describe.skipIf(!onServer)('poll refreshes across instances on the real server', () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await openTestDatabase('postgres')));
  afterAll(() => database.close());

  it(`GIVEN ${3 * STEPS} clicks over ${(STEPS * STEP_MS) / 1000} s spread over three instances THEN the message is edited at most once a second, and the last edit shows every vote`, async () => {
    const instances = await Promise.all([1, 2, 3].map(() => openPostgres(database.url!, 4)));
    const clock = { now: new Date(FIXED_NOW) };
    const delivery = recordingDelivery();
    /** When each edit went out, on the instances' clock. */
    const editedAt: number[] = [];
    const edit = delivery.edit.bind(delivery);
    delivery.edit = async (conversation, ref, reply) => {
      editedAt.push(clock.now.getTime());
      await edit(conversation, ref, reply);
    };
    // Each instance as src/app.ts wires it: its own connections and scheduler, its commands kicking that scheduler.
    const rigs = instances.map((instance) => wirePolls(instance.db, () => clock.now, delivery));
    try {
      await rigs[0]!.core.handleText('poll "Burst?" "A" "B"', requester({ userId: 'coord', channelId: 'CBURST' }));
      const buttons = delivery.posts.at(-1)!.reply.buttons!;
      const start = clock.now.getTime();
      for (let step = 0; step < STEPS; step++) {
        clock.now = new Date(start + (step + 1) * STEP_MS);
        await Promise.all(
          rigs.flatMap((rig, i) => [
            rig.core.handleAction('poll.vote', buttons[(step + i) % 2]!.value, requester({ userId: `m${step}x${i}` })),
            // As cron would, yet ten times as often: coalescing does not rest on how often instances tick.
            rig.scheduler.tick(),
          ]),
        );
      }
      // After the burst, time passes and every instance ticks until nothing is left to run.
      for (let quiet = 0; quiet < 5; quiet++) {
        clock.now = new Date(clock.now.getTime() + REFRESH_SPACING_MS);
        await Promise.all(rigs.map((rig) => rig.scheduler.tick()));
      }
      const gaps = editedAt.slice(1).map((at, i) => at - editedAt[i]!);
      expect(gaps.filter((gap) => gap < REFRESH_SPACING_MS)).toEqual([]);
      expect(editedAt.length).toBeGreaterThan(1);
      expect(editedAt.length).toBeLessThanOrEqual((STEPS * STEP_MS) / REFRESH_SPACING_MS + 2);
      const [poll] = await database.db.select().from(polls).where(eq(polls.question, 'Burst?'));
      expect(delivery.edits.at(-1)!.reply).toEqual(renderPoll(await pollView(database.db, poll!), 'en', 'UTC'));
      expect((await pollView(database.db, poll!)).voters).toBe(3 * STEPS);
    } finally {
      await Promise.all(rigs.map((rig) => rig.scheduler.stop()));
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });
});
