// Delivering weekly digests through the scheduler on a movable clock, on PGlite and on the real server: at local time across daylight saving, once whatever crashes, late or skipped after downtime, paused on refusal; and `digest now`'s job.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliveries, digestSubscriptions, scheduledJobs } from '../db/schema.js';
import { conversationId } from '../src/conversation.js';
import { DeliveryRefused } from '../src/delivery.js';
import { digestJobHandlers } from '../src/digest-jobs.js';
import { gatherWeek } from '../src/digest-week.js';
import { digestKey, type DigestRow } from '../src/digests.js';
import { t } from '../src/i18n/index.js';
import { renderDigest } from '../src/render/digest.js';
import { replyTexts } from '../src/reply.js';
import { CLAIM_LEASE_SECONDS, claimDueJobs, MAX_ATTEMPTS, scheduleJob, type JobRow } from '../src/scheduler/jobs.js';
import { FIXED_NOW, requester } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { insertSubscription, killAtFinish } from './support/digests.js';
import { captureLog } from './support/logs.js';
import { pollRig, type PollRig } from './support/polls.js';
import { memberRow } from './support/reminders.js';

// The week and its rendering are other parts' work: watched here (what the digest is about, in which language, late or
// not), and left to do what they do.
vi.mock('../src/digest-week.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/digest-week.js')>();
  return { ...actual, gatherWeek: vi.fn(actual.gatherWeek) };
});
vi.mock('../src/render/digest.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/render/digest.js')>();
  return { ...actual, renderDigest: vi.fn(actual.renderDigest) };
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 30 November 2026, 09:00 UTC: the first Monday-09:00 digest after FIXED_NOW. */
const MONDAY = new Date('2026-11-30T09:00:00Z');
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

describe.each(databaseTargets())('delivering digests on %s', (kind) => {
  let database: TestDatabase;
  let rig: PollRig;
  let workspace = '';
  let count = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) => requester({ workspaceId: workspace, userId, userName: userId, channelId: 'C1', ...extra });
  const channel = (id: string) => conversationId({ platform: 'console', workspaceId: workspace, channelId: id });
  /** A new workspace (its own alliance) whose coordinator is ana; rosa reads Spanish. */
  const next = async (log?: ReturnType<typeof captureLog>['log']) => {
    workspace = `dw-${(count += 1)}`;
    rig = pollRig(database.db, log);
    await rig.core.handleText('help', as('ana'));
    await rig.core.handleText('help', as('rosa', { platformLocale: 'es-419' }));
    const [ana, rosa] = await Promise.all(['ana', 'rosa'].map((userId) => memberRow(database.db, 'console', workspace, userId)));
    return { allianceId: ana!.allianceId, ana: ana!, rosa: rosa! };
  };
  const tickAt = async (when: Date) => {
    rig.clock.now = when;
    await rig.scheduler.tick();
  };
  const postsTo = (conversation: string) => rig.delivery.posts.filter((post) => post.conversation === conversation);
  const directsTo = (userId: string) => rig.delivery.directs.filter((sent) => sent.workspaceId === workspace && sent.userId === userId).map((sent) => replyTexts(sent.reply).join('\n'));
  const subscription = async (id: number) => (await database.db.select().from(digestSubscriptions).where(eq(digestSubscriptions.id, id)))[0]!;
  const job = async (key: string) => (await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, key)))[0];
  const waitingJobs = (row: DigestRow) =>
    database.db
      .select()
      .from(scheduledJobs)
      .where(and(eq(scheduledJobs.kind, 'digest.send'), isNull(scheduledJobs.doneAt), sql`(${scheduledJobs.payload}->>'subscriptionId')::int = ${row.id}`));
  const delivery = async (key: string) => (await database.db.select().from(deliveries).where(eq(deliveries.key, key)))[0];
  /** What the digests of a conversation were gathered and rendered with: as of when, in which zone and language, late since when. */
  const renderedFor = (conversation: string) => {
    const posted = new Set(postsTo(conversation).map((post) => post.reply));
    return vi.mocked(renderDigest).mock.results.flatMap((result, i) => {
      if (!posted.has(result.value)) return [];
      const [week, locale, options] = vi.mocked(renderDigest).mock.calls[i]!;
      return [{ at: week.at, timeZone: week.timeZone, locale, lateFrom: options?.lateFrom }];
    });
  };
  /**
   * Runs a claimed job by hand, as an instance killed as it finishes (its scheduler would have released the job on a
   * failure; a dead one does not); resolves with what failed, the cause's message included.
   */
  const dieFinishing = async (claimed: JobRow) => {
    const dying = digestJobHandlers({ db: database.db, delivery: rig.delivery, defaults: { locale: 'en', timeZone: 'UTC' }, log: pino({ level: 'silent' }), now: () => MONDAY });
    const revive = await killAtFinish(database.db);
    try {
      await dying['digest.send']!(claimed as JobRow<'digest.send'>);
      return 'nothing failed';
    } catch (err) {
      return `${String(err)} ${String((err as Error).cause)}`;
    } finally {
      await revive();
    }
  };
  /** A job as a dead instance leaves it: claimed, never finished. */
  const claimAsDeadWorker = async (key: string, at: Date) => {
    const claimed = await claimDueJobs(database.db, 'dead-worker', at, { keys: [key], limit: 1 });
    expect(claimed).toHaveLength(1);
    return claimed[0]!;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  beforeEach(() => {
    vi.clearAllMocks();
  });
  // What one test leaves due must not fire into the next one's clock.
  afterEach(async () => {
    await database.db.update(digestSubscriptions).set({ status: 'off', nextAt: null });
    await database.db.update(scheduledJobs).set({ doneAt: FIXED_NOW }).where(isNull(scheduledJobs.doneAt));
  });
  afterAll(() => database.close());

  it('GIVEN a Monday 09:00 digest in New York THEN it is posted at 09:00 local on each side of the fall-back change, its week gathered as of then, recorded, and the next queued as it finishes', async () => {
    const { allianceId, ana } = await next();
    const zone = 'America/New_York';
    // Monday 26 October 2026, 09:00 EDT; New York falls back on Sunday 1 November.
    const first = new Date('2026-10-26T13:00:00Z');
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: first, timeZone: zone, createdBy: ana.id });

    await tickAt(later(first, -MINUTE));
    expect(postsTo(channel('C1'))).toEqual([]);
    await tickAt(first);
    expect(postsTo(channel('C1'))).toHaveLength(1);
    expect(renderedFor(channel('C1'))).toEqual([{ at: first, timeZone: zone, locale: 'en', lateFrom: undefined }]);
    expect(vi.mocked(gatherWeek)).toHaveBeenCalledWith(expect.anything(), allianceId, first, zone);
    expect(await delivery(digestKey(set.id, first))).toMatchObject({ allianceId, messageRef: postsTo(channel('C1'))[0]!.ref });
    expect((await job(digestKey(set.id, first)))?.doneAt).not.toBeNull();

    // 09:00 EST: an hour later in UTC than the week before.
    const second = new Date('2026-11-02T14:00:00Z');
    expect(await subscription(set.id)).toMatchObject({ status: 'active', nextAt: second });
    expect(await waitingJobs(set)).toEqual([
      expect.objectContaining({ key: digestKey(set.id, second), runAt: second, payload: { subscriptionId: set.id, due: second.toISOString() } }),
    ]);
    await tickAt(later(first, 7 * DAY));
    expect(postsTo(channel('C1'))).toHaveLength(1);
    await tickAt(second);
    await tickAt(later(second, HOUR));
    expect(renderedFor(channel('C1'))).toEqual([
      { at: first, timeZone: zone, locale: 'en', lateFrom: undefined },
      { at: second, timeZone: zone, locale: 'en', lateFrom: undefined },
    ]);
  });

  it('GIVEN a Friday 17:00 digest in Madrid in the alliance\'s Spanish THEN it keeps 17:00 local across the spring-forward change; one with its own language is written in it', async () => {
    const { allianceId, ana } = await next();
    await rig.core.handleText('lang alliance es', as('ana'));
    const zone = 'Europe/Madrid';
    const schedule = { kind: 'weekly' as const, days: [5 as const], time: { hour: 17, minute: 0 } };
    // Friday 27 March 2026, 17:00 CET; Madrid springs forward on Sunday 29 March.
    const first = new Date('2026-03-27T16:00:00Z');
    const spanish = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: first, timeZone: zone, schedule, createdBy: ana.id });
    const english = await insertSubscription(database.db, { allianceId, conversation: channel('C2'), nextAt: first, timeZone: zone, schedule, locale: 'en', createdBy: ana.id });
    await tickAt(first);
    const second = new Date('2026-04-03T15:00:00Z');
    expect(await subscription(spanish.id)).toMatchObject({ nextAt: second });
    expect(await subscription(english.id)).toMatchObject({ nextAt: second });
    await tickAt(second);
    expect(renderedFor(channel('C1')).map(({ at, locale }) => [at, locale])).toEqual([
      [first, 'es'],
      [second, 'es'],
    ]);
    expect(renderedFor(channel('C2')).map(({ at, locale }) => [at, locale])).toEqual([
      [first, 'en'],
      [second, 'en'],
    ]);
    expect(postsTo(channel('C1')).map((post) => post.reply.locale)).toEqual(['es', 'es']);
  });

  it('GIVEN Minga down at a digest\'s time and back within its week THEN it is posted once, about its own week, marked late, and the next one is queued', async () => {
    const { allianceId, ana } = await next();
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY, createdBy: ana.id });
    // Back on Wednesday.
    const back = later(MONDAY, 2 * DAY + 3 * HOUR);
    await tickAt(back);
    await tickAt(later(back, MINUTE));
    expect(renderedFor(channel('C1'))).toEqual([{ at: MONDAY, timeZone: 'UTC', locale: 'en', lateFrom: MONDAY }]);
    const nextMonday = later(MONDAY, 7 * DAY);
    expect(await subscription(set.id)).toMatchObject({ status: 'active', nextAt: nextMonday });
    expect((await waitingJobs(set)).map((row) => row.key)).toEqual([digestKey(set.id, nextMonday)]);
  });

  it('GIVEN a digest sent less than a minute after its time THEN it is not marked late', async () => {
    const { allianceId } = await next();
    await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY });
    await tickAt(later(MONDAY, 59_000));
    expect(renderedFor(channel('C1'))).toEqual([{ at: MONDAY, timeZone: 'UTC', locale: 'en', lateFrom: undefined }]);
  });

  it('GIVEN Minga down past a digest\'s whole week THEN it is skipped and logged, never posted, and the next one to come is queued', async () => {
    const log = captureLog({ level: 'warn' });
    const { allianceId } = await next(log.log);
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY });
    // Back on the Tuesday after next: the next Monday's occurrence is past too, but this job is the one that exists.
    const back = later(MONDAY, 8 * DAY);
    await tickAt(back);
    await tickAt(later(back, MINUTE));
    expect(postsTo(channel('C1'))).toEqual([]);
    expect(log.find('digest skipped: its week was over when Minga could send it')).toMatchObject({ subscription: set.id, due: MONDAY.toISOString() });
    const upcoming = later(MONDAY, 14 * DAY);
    expect(await subscription(set.id)).toMatchObject({ status: 'active', nextAt: upcoming });
    expect((await waitingJobs(set)).map((row) => row.key)).toEqual([digestKey(set.id, upcoming)]);
    expect(await delivery(digestKey(set.id, MONDAY))).toBeUndefined();

    await tickAt(upcoming);
    expect(renderedFor(channel('C1'))).toEqual([{ at: upcoming, timeZone: 'UTC', locale: 'en', lateFrom: undefined }]);
  });

  it('GIVEN a subscription switched off, or moved to another time, before its digest THEN the old job posts nothing and finishes', async () => {
    const { allianceId } = await next();
    const off = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY });
    const moved = await insertSubscription(database.db, { allianceId, conversation: channel('C2'), nextAt: MONDAY });
    await database.db.update(digestSubscriptions).set({ status: 'off', nextAt: null }).where(eq(digestSubscriptions.id, off.id));
    await database.db.update(digestSubscriptions).set({ nextAt: later(MONDAY, 8 * HOUR) }).where(eq(digestSubscriptions.id, moved.id));
    await tickAt(MONDAY);
    expect(rig.delivery.posts).toEqual([]);
    for (const set of [off, moved]) expect((await job(digestKey(set.id, MONDAY)))?.doneAt).not.toBeNull();
    expect(await subscription(moved.id)).toMatchObject({ nextAt: later(MONDAY, 8 * HOUR) });
  });

  it('GIVEN a subscription whose rule changes while its digest is posted THEN the next one is queued by the new rule', async () => {
    const { allianceId } = await next();
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY });
    const friday = { kind: 'weekly' as const, days: [5 as const], time: { hour: 17, minute: 0 } };
    const post = rig.delivery.post;
    // As a coordinator's `digest on friday 17:00` landing meanwhile, with the time it had still to come.
    rig.delivery.post = async (conversation, reply) => {
      await database.db.update(digestSubscriptions).set({ schedule: friday }).where(eq(digestSubscriptions.id, set.id));
      return post(conversation, reply);
    };
    await tickAt(MONDAY);
    const nextFriday = new Date('2026-12-04T17:00:00Z');
    expect(postsTo(channel('C1'))).toHaveLength(1);
    expect(await subscription(set.id)).toMatchObject({ status: 'active', nextAt: nextFriday });
    expect((await waitingJobs(set)).map((row) => row.key)).toEqual([digestKey(set.id, nextFriday)]);
    expect((await job(digestKey(set.id, MONDAY)))?.doneAt).not.toBeNull();
  });

  it('GIVEN an instance that died after claiming a digest THEN another posts it only once the claim\'s lease is over, exactly once, late', async () => {
    const { allianceId } = await next();
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY });
    await claimAsDeadWorker(digestKey(set.id, MONDAY), MONDAY);

    await tickAt(later(MONDAY, MINUTE));
    await tickAt(later(MONDAY, CLAIM_LEASE_SECONDS * 1000 - 1000));
    expect(postsTo(channel('C1'))).toEqual([]);
    const taken = later(MONDAY, CLAIM_LEASE_SECONDS * 1000 + 1000);
    await tickAt(taken);
    await rig.newScheduler().tick();
    await tickAt(later(taken, HOUR));
    expect(renderedFor(channel('C1'))).toEqual([{ at: MONDAY, timeZone: 'UTC', locale: 'en', lateFrom: MONDAY }]);
    expect(await subscription(set.id)).toMatchObject({ nextAt: later(MONDAY, 7 * DAY) });
  });

  it('GIVEN an instance killed after posting a digest, before finishing its job THEN the instance that takes it over does not post it again, and moves on', async () => {
    const { allianceId } = await next();
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY });
    const claimed = await claimAsDeadWorker(digestKey(set.id, MONDAY), MONDAY);
    expect(await dieFinishing(claimed)).toContain('process killed');
    expect(postsTo(channel('C1'))).toHaveLength(1);
    expect(await delivery(digestKey(set.id, MONDAY))).toMatchObject({ messageRef: postsTo(channel('C1'))[0]!.ref });

    await tickAt(later(MONDAY, CLAIM_LEASE_SECONDS * 1000 + 1000));
    await tickAt(later(MONDAY, HOUR));
    expect(postsTo(channel('C1'))).toHaveLength(1);
    expect((await job(digestKey(set.id, MONDAY)))?.doneAt).not.toBeNull();
    expect(await subscription(set.id)).toMatchObject({ status: 'active', nextAt: later(MONDAY, 7 * DAY) });
    expect((await waitingJobs(set)).map((row) => row.key)).toEqual([digestKey(set.id, later(MONDAY, 7 * DAY))]);
  });

  it('GIVEN a post that fails THEN it is retried with backoff and posted once; one that keeps failing is given up after the last attempt, logged, and the next week queued', async () => {
    const log = captureLog({ level: 'warn' });
    const { allianceId } = await next(log.log);
    const flaky = await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY });
    const broken = await insertSubscription(database.db, { allianceId, conversation: channel('C2'), nextAt: MONDAY });
    let failures = 1;
    rig.delivery.failWith = (to) => (to === channel('C2') || (to === channel('C1') && failures-- > 0) ? new Error('socket hang up') : undefined);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await tickAt((await job(digestKey(broken.id, MONDAY)))!.runAt);
      if (attempt === 1) expect(await job(digestKey(flaky.id, MONDAY))).toMatchObject({ attempts: 1, doneAt: null, lastError: expect.stringContaining('socket hang up') });
    }
    expect(postsTo(channel('C1'))).toHaveLength(1);
    expect(postsTo(channel('C2'))).toEqual([]);
    expect(await job(digestKey(broken.id, MONDAY))).toMatchObject({ attempts: MAX_ATTEMPTS, doneAt: expect.any(Date) });
    expect(log.find('digest given up after the last attempt')).toMatchObject({ subscription: broken.id, err: { message: expect.stringContaining('socket hang up') } });
    expect(await subscription(broken.id)).toMatchObject({ status: 'active', nextAt: later(MONDAY, 7 * DAY) });
  });

  it('GIVEN a channel Minga was removed from THEN the subscription pauses, the coordinator who set it up is told once in their language how to resume it, and nothing more is tried', async () => {
    const log = captureLog({ level: 'warn' });
    const { allianceId, rosa } = await next(log.log);
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C9'), nextAt: MONDAY, createdBy: rosa.id });
    let tries = 0;
    rig.delivery.failWith = (to) => (to === channel('C9') ? (tries++, new DeliveryRefused('notInChannel', 'not_in_channel')) : undefined);

    await tickAt(MONDAY);
    expect(await subscription(set.id)).toMatchObject({ status: 'paused', pausedReason: 'notInChannel', nextAt: null });
    expect(directsTo('rosa')).toEqual([t('es', 'digest.paused.notInChannel', { channel: '#C9' })]);
    expect(directsTo('rosa')[0]).toContain('resumen activar');
    expect(await job(digestKey(set.id, MONDAY))).toMatchObject({ attempts: 1, lastError: null, doneAt: expect.any(Date) });
    expect(await waitingJobs(set)).toEqual([]);
    expect(log.find('digest refused by the platform: subscription paused')).toMatchObject({ subscription: set.id, reason: 'notInChannel' });

    for (let week = 1; week <= 3; week++) await tickAt(later(MONDAY, week * 7 * DAY));
    expect(tries).toBe(1);
    expect(directsTo('rosa')).toHaveLength(1);
  });

  it('GIVEN an instance killed after telling the coordinator of a refusal, before pausing THEN the one that takes over pauses the subscription without telling them again', async () => {
    const { allianceId, ana } = await next();
    const set = await insertSubscription(database.db, { allianceId, conversation: channel('C9'), nextAt: MONDAY, createdBy: ana.id });
    rig.delivery.failWith = (to) => (to === channel('C9') ? new DeliveryRefused('channelGone', 'is_archived') : undefined);
    const claimed = await claimAsDeadWorker(digestKey(set.id, MONDAY), MONDAY);
    expect(await dieFinishing(claimed)).toContain('process killed');
    expect(directsTo('ana')).toEqual([t('en', 'digest.paused.channelGone', { channel: '#C9' })]);

    await tickAt(later(MONDAY, CLAIM_LEASE_SECONDS * 1000 + 1000));
    expect(await subscription(set.id)).toMatchObject({ status: 'paused', pausedReason: 'channelGone', nextAt: null });
    expect(directsTo('ana')).toHaveLength(1);
  });

  describe('digest now (the digest.post job)', () => {
    const nowJob = (allianceId: number, conversation: string, locale: 'en' | 'es', requestedBy: number) => {
      const key = `digest:now:${conversation}:${rig.clock.now.getTime()}`;
      return {
        key,
        queue: () => database.db.transaction((tx) => scheduleJob(tx, { allianceId, kind: 'digest.post', key, runAt: rig.clock.now, payload: { conversation, locale, requestedBy } })),
      };
    };

    it('GIVEN digest now in a subscribed channel and in another THEN each is posted once, as of now, in the language asked, in the channel\'s zone or else the alliance\'s, and recorded under the job\'s key', async () => {
      const { allianceId, rosa } = await next();
      await rig.core.handleText('timezone alliance America/Bogota', as('ana'));
      await insertSubscription(database.db, { allianceId, conversation: channel('C1'), nextAt: MONDAY, timeZone: 'America/Lima' });
      const subscribed = nowJob(allianceId, channel('C1'), 'es', rosa.id);
      await subscribed.queue();
      rig.clock.advance(1);
      const other = nowJob(allianceId, channel('C2'), 'en', rosa.id);
      await other.queue();
      await rig.scheduler.kick([subscribed.key, other.key]);
      await rig.scheduler.tick();

      expect(renderedFor(channel('C1'))).toEqual([{ at: rig.clock.now, timeZone: 'America/Lima', locale: 'es', lateFrom: undefined }]);
      expect(renderedFor(channel('C2'))).toEqual([{ at: rig.clock.now, timeZone: 'America/Bogota', locale: 'en', lateFrom: undefined }]);
      expect(await delivery(subscribed.key)).toMatchObject({ allianceId, messageRef: postsTo(channel('C1'))[0]!.ref });
      expect(await delivery(other.key)).toMatchObject({ allianceId, messageRef: postsTo(channel('C2'))[0]!.ref });
    });

    it('GIVEN a digest now already recorded as posted (a crash after the post) THEN it is not posted again', async () => {
      const { allianceId, ana } = await next();
      const asked = nowJob(allianceId, channel('C1'), 'en', ana.id);
      await asked.queue();
      await database.db.insert(deliveries).values({ key: asked.key, allianceId, messageRef: 'm-before' });
      await rig.scheduler.kick([asked.key]);
      expect(postsTo(channel('C1'))).toEqual([]);
      expect((await job(asked.key))?.doneAt).not.toBeNull();
    });

    it('GIVEN digest now in a channel Minga cannot post in THEN the refusal is recorded under <key>:refused with its reason, and the job finishes without a retry', async () => {
      const { allianceId, ana } = await next();
      rig.delivery.failWith = (to) => (to === channel('C1') ? new DeliveryRefused('notInChannel', 'not_in_channel') : undefined);
      const asked = nowJob(allianceId, channel('C1'), 'en', ana.id);
      await asked.queue();
      await rig.scheduler.kick([asked.key]);
      expect(await delivery(`${asked.key}:refused`)).toMatchObject({ allianceId, messageRef: 'notInChannel' });
      expect(await delivery(asked.key)).toBeUndefined();
      expect(await job(asked.key)).toMatchObject({ attempts: 1, lastError: null, doneAt: expect.any(Date) });
    });

    it('GIVEN digest now failing for a while THEN it is retried, and posted once', async () => {
      const { allianceId, ana } = await next();
      let failures = 1;
      rig.delivery.failWith = (to) => (to === channel('C1') && failures-- > 0 ? new Error('socket hang up') : undefined);
      const asked = nowJob(allianceId, channel('C1'), 'en', ana.id);
      await asked.queue();
      await rig.scheduler.kick([asked.key]);
      expect(await job(asked.key)).toMatchObject({ attempts: 1, doneAt: null, lastError: expect.stringContaining('socket hang up') });
      await tickAt((await job(asked.key))!.runAt);
      await tickAt(later(rig.clock.now, HOUR));
      expect(postsTo(channel('C1'))).toHaveLength(1);
      expect(await delivery(asked.key)).toMatchObject({ messageRef: postsTo(channel('C1'))[0]!.ref });
    });
  });
});
