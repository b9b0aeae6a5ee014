// kill -9 during the jobs of posting everywhere on the real server, then another instance past the lease: a poll's copies, a poll's outcomes and a reminder in every home channel, counted at a platform over HTTP, as test/crash.test.ts does for one channel.
import type { ChildProcess } from 'node:child_process';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { deliveries, postedMessages, scheduledJobs } from '../db/schema.js';
import { pollCopyKey } from '../src/everywhere.js';
import { CLAIM_LEASE_SECONDS } from '../src/scheduler/jobs.js';
import { linkWorkspaces, setHomeChannel } from './support/alliance-links.js';
import { createTestCore, FIXED_NOW, requester } from './support/core.js';
import { allowJobEnds, jobsLeft, kill, refuseJobEnds, startCrashInstance, tickAfterTheCrash, until } from './support/crash-instances.js';
import { startCrashPlatform, type CrashPlatform, type PlatformMode } from './support/crash-platform.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { recordingDelivery } from './support/delivery.js';
import { wirePolls } from './support/polls.js';

const onServer = databaseTargets().includes('postgres');

const HOME1 = 'console:ws-1:HOME1';
const HOME2 = 'console:ws-2:HOME2';
/** Where the poll to post, and the poll to announce, were typed (neither a home channel). */
const POSTED_IN = 'console:ws-1:CPOST';
const CLOSED_IN = 'console:ws-1:CANNOUNCE';

/** Every message the jobs should show, once each: what, and where. */
const EXPECTED: [string, string][] = [
  ['Crash copies?', POSTED_IN], ['Crash copies?', HOME1], ['Crash copies?', HOME2],
  ['Crash outcome?', CLOSED_IN], ['Crash outcome?', HOME1], ['Crash outcome?', HOME2],
  ['Crash reminder', HOME1], ['Crash reminder', HOME2],
];
/** The jobs due: the poll's three posts, the outcome's job, the reminder's occurrence. */
const JOBS = 5;

/** The first instance's time (the reminder is due a minute after FIXED_NOW), and the second's, past the first one's lease. */
const FIRST = new Date(FIXED_NOW.getTime() + 2 * 60_000);
const SECOND = new Date(FIRST.getTime() + CLAIM_LEASE_SECONDS * 1000 + 1000);

/** Two linked workspaces with a home channel each; a poll everywhere to post, one closed to announce, a reminder everywhere due. */
async function dueJobs(db: Db): Promise<void> {
  const core = createTestCore(db);
  const coord = (channelId: string) => requester({ userId: 'coord', userName: 'coord', channelId });
  await core.handleText('help', coord('CPOST'));
  await core.handleText('help', requester({ workspaceId: 'ws-2', userId: 'bea', userName: 'bea', channelId: 'HOME2' }));
  await linkWorkspaces(db, { platform: 'console', externalId: 'ws-1' }, { platform: 'console', externalId: 'ws-2' });
  await setHomeChannel(db, { platform: 'console', externalId: 'ws-1' }, HOME1);
  await setHomeChannel(db, { platform: 'console', externalId: 'ws-2' }, HOME2);
  await core.handleText('poll "Crash outcome?" "A" "B" --everywhere', coord('CANNOUNCE'));
  // Its posts went out before this test (the outcome freezes them): not counted.
  await wirePolls(db, () => FIXED_NOW, recordingDelivery()).scheduler.kick(['poll.post:1', pollCopyKey(1, HOME1), pollCopyKey(1, HOME2)]);
  await core.handleText('poll close 1', coord('CANNOUNCE'));
  await core.handleText('poll "Crash copies?" "A" "B" --everywhere', coord('CPOST'));
  await core.handleText('remind everywhere in 1 minute Crash reminder', coord('CPOST'));
  const due = await db.select({ key: scheduledJobs.key }).from(scheduledJobs).where(and(isNull(scheduledJobs.doneAt), sql`${scheduledJobs.runAt} <= ${FIRST.toISOString()}`));
  expect(due).toHaveLength(JOBS);
}

/** A second instance, in this process, past the lease: it runs what the first one left, the platform answering at once. */
async function secondInstance(db: Db, platform: CrashPlatform): Promise<void> {
  expect(await tickAfterTheCrash(db, platform, SECOND)).toBe(JOBS);
  expect(await jobsLeft(db, SECOND)).toEqual([]);
}

/** How many times the platform showed each expected message where it belongs. */
const shown = (platform: CrashPlatform) =>
  EXPECTED.map(([what, to]) => [what, to, platform.calls.filter((call) => call.accepted && call.to === to && call.text.includes(what)).length]);
const each = (count: number | ((what: string, to: string) => number)) =>
  EXPECTED.map(([what, to]) => [what, to, typeof count === 'number' ? count : count(what, to)]);

describe.skipIf(!onServer)('kill -9 while posting everywhere, on the real server', () => {
  let database: TestDatabase;
  let platform: CrashPlatform;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    database = await openTestDatabase('postgres');
    platform = await startCrashPlatform();
    await dueJobs(database.db);
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await kill(child);
    await platform.close();
    await database.close();
  });

  /** The first instance runs every job into its first platform call, where it is killed. */
  async function killInThePlatformCall(mode: PlatformMode): Promise<void> {
    platform.mode = mode;
    const instance = startCrashInstance(database.url!, platform.url, FIRST);
    child = instance.child;
    // The poll's three posts side by side; the outcome's job and the reminder's each stuck in their first channel.
    await until(() => platform.calls.length === JOBS);
    await kill(child);
    expect(instance.reports).toEqual(['ticking']);
  }

  it('GIVEN killed in the platform calls, before the platform accepted THEN the second instance shows every message once, in every channel', async () => {
    await killInThePlatformCall('hang');
    expect(shown(platform)).toEqual(each(0));
    await secondInstance(database.db, platform);
    expect(shown(platform)).toEqual(each(1));
  });

  it('GIVEN killed after the platform accepted, before its answer came back THEN only those calls show twice: the documented window, per channel', async () => {
    await killInThePlatformCall('acceptAndHang');
    const first = new Set(platform.calls.map((call) => `${call.to} ${call.text}`));
    const wasFirst = (what: string, to: string) => [...first].some((call) => call.startsWith(`${to} `) && call.includes(what));
    await secondInstance(database.db, platform);
    // A copy or an outcome in one channel repeated, never the others: each channel is its own delivery.
    const expected = each((what, to) => (wasFirst(what, to) ? 2 : 1));
    // The three copies, the outcome's first channel and the reminder's first channel: one message each, accepted twice.
    expect(expected.filter(([, , count]) => count === 2)).toHaveLength(JOBS);
    expect(shown(platform)).toEqual(expected);
  });

  it('GIVEN killed after every message was recorded, before the jobs finished THEN the second instance posts nothing again', async () => {
    await refuseJobEnds(database.db);
    platform.mode = 'answer';
    const instance = startCrashInstance(database.url!, platform.url, FIRST);
    child = instance.child;
    const recorded = async () =>
      (await database.db.select().from(deliveries)).length === 5 &&
      (await database.db.select().from(postedMessages).where(eq(postedMessages.subject, 'poll:2'))).length === 3;
    await until(recorded);
    await until(() => instance.reports.includes('ticked'));
    await kill(child);
    expect(instance.reports).toEqual(['ticking', 'ticked']);
    await allowJobEnds(database.db);
    expect(shown(platform)).toEqual(each(1));
    await secondInstance(database.db, platform);
    expect(shown(platform)).toEqual(each(1));
  });
});
