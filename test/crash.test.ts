// kill -9 during each kind of job on the real server, then another instance past the lease: what people see, counted at a platform over HTTP. Once when the kill came before the platform accepted the message, once after it accepted it but before Minga knew (the one window left for a duplicate, see the README), once after Minga recorded it but before the job finished.
import type { ChildProcess } from 'node:child_process';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { alliances, deliveries, postedMessages, scheduledJobs } from '../db/schema.js';
import { pollJobKey } from '../src/polls.js';
import { CLAIM_LEASE_SECONDS } from '../src/scheduler/jobs.js';
import { createTestCore, FIXED_NOW, requester } from './support/core.js';
import { allowJobEnds, jobsLeft, kill, refuseJobEnds, startCrashInstance, tickAfterTheCrash, until } from './support/crash-instances.js';
import { startCrashPlatform, type CrashPlatform, type PlatformMode } from './support/crash-platform.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { insertSubscription } from './support/digests.js';
import { recordingDelivery } from './support/delivery.js';
import { wirePolls } from './support/polls.js';
import { insertReminder } from './support/reminders.js';

const onServer = databaseTargets().includes('postgres');

/** Where each kind of job posts: one conversation each, so the platform's count per conversation is the count per job. */
const TO = {
  'poll.post': 'console:ws-1:CPOST',
  'poll.announce': 'console:ws-1:CANNOUNCE',
  'reminder.send': 'console:ws-1:CREMIND',
  'digest.send': 'console:ws-1:CDIGEST',
} as const;
type Kind = keyof typeof TO;
const KINDS = Object.keys(TO) as Kind[];

/** The first instance's time, and the second's: past the lease of the first one's claims. */
const FIRST = new Date(FIXED_NOW.getTime() + 1000);
const SECOND = new Date(FIRST.getTime() + CLAIM_LEASE_SECONDS * 1000 + 1000);

/** One job of each kind due at FIXED_NOW, and nothing else: a poll to post, a closed poll to announce, a reminder, a digest. */
async function dueJobs(db: Db): Promise<void> {
  const core = createTestCore(db);
  const room = (channelId: string) => requester({ channelId });
  await core.handleText('poll "Crash outcome?" "A" "B"', room('CANNOUNCE'));
  // Its own post went out before this test (the announcement freezes it): not counted.
  await wirePolls(db, () => FIXED_NOW, recordingDelivery()).scheduler.kick([pollJobKey('poll.post', 1)]);
  await core.handleText('poll close 1', room('CANNOUNCE'));
  await core.handleText('poll "Crash post?" "A" "B"', room('CPOST'));
  const [alliance] = await db.select().from(alliances);
  await insertReminder(db, { allianceId: alliance!.id, target: { conversation: TO['reminder.send'] }, text: 'Crash reminder', nextAt: FIXED_NOW });
  await insertSubscription(db, { allianceId: alliance!.id, conversation: TO['digest.send'], nextAt: FIXED_NOW });
  const due = await db.select({ kind: scheduledJobs.kind }).from(scheduledJobs).where(and(isNull(scheduledJobs.doneAt), sql`${scheduledJobs.runAt} <= ${FIRST.toISOString()}`));
  expect(due.map((job) => job.kind).sort()).toEqual([...KINDS].sort());
}

/** A second instance, in this process, past the lease: it runs what the first one left, the platform answering at once. */
async function secondInstance(db: Db, platform: CrashPlatform): Promise<void> {
  expect(await tickAfterTheCrash(db, platform, SECOND)).toBe(KINDS.length);
  expect(await jobsLeft(db, SECOND)).toEqual([]);
}

const shownPerKind = (platform: CrashPlatform) => Object.fromEntries(KINDS.map((kind) => [kind, platform.shown(TO[kind])]));
const each = (count: number) => Object.fromEntries(KINDS.map((kind) => [kind, count]));

describe.skipIf(!onServer)('kill -9 during jobs on the real server', () => {
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

  /** The first instance runs every job into the platform call, where it is killed. */
  async function killInThePlatformCall(mode: PlatformMode): Promise<void> {
    platform.mode = mode;
    const instance = startCrashInstance(database.url!, platform.url, FIRST);
    child = instance.child;
    await until(() => platform.calls.length === KINDS.length);
    await kill(child);
    expect(instance.reports).toEqual(['ticking']);
  }

  it('GIVEN killed in the platform call, before the platform accepted THEN the second instance posts each message once', async () => {
    await killInThePlatformCall('hang');
    expect(shownPerKind(platform)).toEqual(each(0));
    await secondInstance(database.db, platform);
    expect(shownPerKind(platform)).toEqual(each(1));
    // Each message reached the platform twice; only the second time was it accepted.
    expect(platform.calls).toHaveLength(2 * KINDS.length);
  });

  it('GIVEN killed after the platform accepted, before its answer came back THEN each message shows twice: the documented window', async () => {
    await killInThePlatformCall('acceptAndHang');
    expect(shownPerKind(platform)).toEqual(each(1));
    await secondInstance(database.db, platform);
    expect(shownPerKind(platform)).toEqual(each(2));
  });

  it('GIVEN killed after the messages were recorded, before the jobs finished THEN the second instance posts nothing again', async () => {
    // The jobs' end refused by the database, as for a process killed right there: every change to a claimed job raises.
    await refuseJobEnds(database.db);
    platform.mode = 'answer';
    const instance = startCrashInstance(database.url!, platform.url, FIRST);
    child = instance.child;
    const recorded = async () =>
      (await database.db.select().from(deliveries)).length === 3 && (await database.db.select().from(postedMessages).where(eq(postedMessages.conversation, TO['poll.post']))).length === 1;
    await until(recorded);
    // Its tick over: every job's end (finished or released) was refused, and the instance sits idle with them claimed.
    await until(() => instance.reports.includes('ticked'));
    await kill(child);
    expect(instance.reports).toEqual(['ticking', 'ticked']);
    await allowJobEnds(database.db);
    expect(shownPerKind(platform)).toEqual(each(1));
    await secondInstance(database.db, platform);
    expect(shownPerKind(platform)).toEqual(each(1));
  });
});
