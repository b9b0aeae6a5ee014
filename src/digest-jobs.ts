// Delivering digests: 'digest.send' posts a subscription's weekly digest once (late after downtime, skipped once its week is over, paused when the channel refuses it) and queues the next one as it finishes; 'digest.post' is `digest now`.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alliances, deliveries, digestSubscriptions, members, scheduledJobs } from '../db/schema.js';
import { channelLabel } from './conversation.js';
import { DeliveryRefused, LATE_AFTER_MS, people, recordDelivery, wasDelivered, type DeliveryDeps, type RefusalReason } from './delivery.js';
import { digestKey, digestLocale, scheduleNextDigest, type DigestRow } from './digests.js';
import { gatherWeek } from './digest-week.js';
import { t } from './i18n/index.js';
import type { AllianceRow } from './identity.js';
import { renderDigest } from './render/digest.js';
import { textReply } from './reply.js';
import { finishJob, MAX_ATTEMPTS, pastLastAttempt, type JobRow } from './scheduler/jobs.js';
import type { JobHandlers } from './scheduler/scheduler.js';
import { nextOccurrence, type Recurrence } from './time/recurrence.js';

/** What the handlers run with: the delivery's dependencies and the statements every digest runs, prepared once. */
interface Deps extends DeliveryDeps {
  statements: Statements;
}

/** A subscription with its alliance, and whether its occurrence was already posted (read in the same query). */
interface Loaded {
  subscription: DigestRow;
  alliance: AllianceRow;
  posted: boolean;
}

export function digestJobHandlers(delivery: DeliveryDeps): JobHandlers {
  const deps: Deps = { ...delivery, statements: prepareStatements(delivery.db) };
  return {
    'digest.send': (job) => sendDigest(deps, job),
    'digest.post': (job) => postNow(deps, job),
  };
}


const isCurrent = (subscription: DigestRow, due: Date) => subscription.status === 'active' && subscription.nextAt?.getTime() === due.getTime();

async function sendDigest(deps: Deps, job: JobRow<'digest.send'>): Promise<void> {
  const due = new Date(job.payload.due);
  const key = digestKey(job.payload.subscriptionId, due);
  const loaded = await load(deps, job.payload.subscriptionId, key);
  // Gone, switched off, paused, or moved to another time (whose own job runs): nothing to send for this one.
  if (!loaded || !isCurrent(loaded.subscription, due)) return;
  const { subscription } = loaded;
  const now = deps.now();
  const about = { subscription: subscription.id, alliance: subscription.allianceId, due: job.payload.due };
  // The digest tells one week, up to the next occurrence; once that is due too (Minga was down all that time), it is stale.
  const weekEnd = nextOccurrence(subscription.schedule as Recurrence, due, subscription.timeZone);
  let paused: RefusalReason | undefined;
  if (loaded.posted) {
    // Posted before the instance that did it died: only moving on is left.
  } else if (pastLastAttempt(job)) {
    // Every earlier claim died during the job (the process was killed, or crashed): this week's digest is given up unsent.
    deps.log.error(about, 'digest given up: the process died during each of its attempts');
  } else if (now >= weekEnd) {
    deps.log.warn({ ...about, now: now.toISOString() }, 'digest skipped: its week was over when Minga could send it');
  } else {
    try {
      try {
        await post(deps, loaded, due, key, now);
      } catch (err) {
        if (!(err instanceof DeliveryRefused)) throw err;
        // Retrying every week would never help: the subscription pauses, and whoever set it up learns how to resume it.
        paused = err.reason;
        deps.log.warn({ ...about, reason: err.reason, platformError: err.platformError }, 'digest refused by the platform: subscription paused');
        await tellCoordinator(deps, loaded, key, err.reason);
      }
    } catch (err) {
      // The scheduler retries with backoff; after the last attempt this week's digest is given up, and the next is queued.
      if (job.attempts < MAX_ATTEMPTS) throw err;
      deps.log.error({ err, ...about }, 'digest given up after the last attempt');
    }
  }
  if (paused || !(await advance(deps, job, subscription, due, weekEnd))) await finishOccurrence(deps, job, due, paused);
}

/** The subscription, its alliance, and whether `deliveries` already holds this occurrence's post: one query. */
async function load(deps: Deps, subscriptionId: number, key: string): Promise<Loaded | undefined> {
  const [row] = await deps.statements.load.execute({ id: subscriptionId, key });
  return row && { subscription: row.subscription, alliance: row.alliance, posted: row.posted !== null };
}

/** Gathers the week as of when it was due (the digest is about its own week, even sent late), posts it and records the post. */
async function post(deps: Deps, loaded: Loaded, due: Date, key: string, now: Date): Promise<void> {
  const { subscription } = loaded;
  const week = await gatherWeek(deps.db, subscription.allianceId, due, subscription.timeZone);
  const late = now.getTime() - due.getTime() > LATE_AFTER_MS;
  const reply = renderDigest(week, digestLocale(loaded.subscription, loaded.alliance, deps.defaults.locale), late ? { lateFrom: due } : {});
  const ref = await deps.delivery.post(subscription.conversation, reply);
  // Written right after the platform accepted it: a process killed between the two is the one way to post it twice.
  await deps.statements.record.execute({ key, allianceId: subscription.allianceId, messageRef: ref });
}


/**
 * Tells the coordinator who set the subscription up that it paused, why, and how to resume it, in their language, once
 * (recorded under its own key, so a retry of the occurrence does not tell them twice). Nobody to tell, or a coordinator who
 * cannot be written to either, is left to the log.
 */
async function tellCoordinator(deps: Deps, { subscription, alliance }: Loaded, key: string, reason: RefusalReason): Promise<void> {
  const about = { subscription: subscription.id, alliance: alliance.id };
  const noticeKey = `${key}:refused`;
  if (await wasDelivered(deps.db, noticeKey)) return;
  const [coordinator] = subscription.createdBy === null ? [] : await people(deps, alliance, eq(members.id, subscription.createdBy));
  if (!coordinator) {
    deps.log.warn(about, 'paused digest: nobody to tell (who set it up is gone)');
    return;
  }
  const message = reason === 'notInChannel' || reason === 'channelGone' ? (`digest.paused.${reason}` as const) : 'digest.paused.refused';
  const reply = textReply(coordinator.locale, t(coordinator.locale, message, { channel: channelLabel(subscription.conversation) }), 'public');
  let ref: string | null = null;
  try {
    ref = await deps.delivery.sendDirect(coordinator.platform, coordinator.workspaceId, coordinator.member.platformUserId, reply);
  } catch (err) {
    if (!(err instanceof DeliveryRefused)) throw err;
    deps.log.warn({ ...about, reason: err.reason }, 'could not tell the coordinator about a paused digest');
  }
  await recordDelivery(deps.db, alliance.id, noticeKey, ref);
}

/**
 * The three statements every digest runs besides its week's (load, record, advance), prepared once: drizzle prepares only
 * what is made with `.prepare()`, and otherwise builds each statement again and has Postgres parse and plan it again. With
 * 10,000 digests due at once, preparing these three took the benchmark from 73 s to 65 s (bench/digests.ts).
 */
function prepareStatements(db: Db) {
  const value = sql.placeholder;
  const load = db
    .select({ subscription: digestSubscriptions, alliance: alliances, posted: deliveries.key })
    .from(digestSubscriptions)
    .innerJoin(alliances, eq(alliances.id, digestSubscriptions.allianceId))
    .leftJoin(deliveries, eq(deliveries.key, value('key')))
    .where(eq(digestSubscriptions.id, value('id')))
    .prepare('digest_load');
  const record = db.insert(deliveries).values({ key: value('key'), allianceId: value('allianceId'), messageRef: value('messageRef') }).onConflictDoNothing().prepare('digest_record');
  // See advance: the subscription moves only if still as loaded; the next occurrence is queued (as scheduleJob does) and
  // the job finished (as finishJob does) only if it moved.
  const advanced = db.$with('advanced', { id: sql<number>`id` }).as(sql`
    update ${digestSubscriptions} set next_at = ${value('next')}::timestamptz, updated_at = ${value('now')}::timestamptz
    where id = ${value('id')} and status = 'active' and next_at = ${value('due')}::timestamptz
      and schedule = ${value('schedule')}::jsonb and time_zone = ${value('timeZone')}
    returning id`);
  const queued = db.$with('queued', { key: sql<string>`key` }).as(sql`
    insert into ${scheduledJobs} (alliance_id, kind, key, run_at, payload)
    select ${value('allianceId')}, 'digest.send', ${value('key')}, ${value('next')}::timestamptz, ${value('payload')}::jsonb from advanced
    on conflict (key) do update set run_at = excluded.run_at, payload = excluded.payload where ${scheduledJobs}.done_at is null
    returning key`);
  const finished = db.$with('finished', { id: sql<number>`id` }).as(sql`
    update ${scheduledJobs} set done_at = ${value('now')}::timestamptz
    where id = ${value('jobId')} and claimed_by = ${value('claimedBy')} and attempts = ${value('attempts')}::integer
      and exists (select 1 from advanced)
    returning id`);
  const advance = db
    .with(advanced, queued, finished)
    .select({ advanced: sql<number>`count(*)::int`.mapWith(Number) })
    .from(advanced)
    .prepare('digest_advance');
  return { load, record, advance };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * Ends the occurrence as it usually goes, in one statement (so one transaction): the subscription, still as it was loaded
 * (active, due then, same rule and zone: the update locks it and checks), moves to its first occurrence after both now and
 * this one, that occurrence is queued as scheduleNextDigest queues it, and the job is finished as finishJob does, only
 * if it moved. False when the subscription changed meanwhile: finishOccurrence then reads it again under its lock.
 *
 * Why not finishOccurrence alone: with 10,000 digests due at once, the five statements this saves (begin, the lock, the
 * job's queuing and finishing, commit) were nearly a third of all a digest ran, its week's included (bench/digests.ts).
 */
async function advance(deps: Deps, job: JobRow<'digest.send'>, subscription: DigestRow, due: Date, weekEnd: Date): Promise<boolean> {
  const now = deps.now();
  const after = now > due ? now : due;
  // No occurrence lies between this one and weekEnd: while that is still to come, it is the next one.
  const nextAt = after < weekEnd ? weekEnd : nextOccurrence(subscription.schedule as Recurrence, after, subscription.timeZone);
  const next = nextAt.toISOString();
  const [row] = await deps.statements.advance.execute({
    id: subscription.id,
    due: due.toISOString(),
    schedule: JSON.stringify(subscription.schedule),
    timeZone: subscription.timeZone,
    allianceId: subscription.allianceId,
    key: digestKey(subscription.id, nextAt),
    next,
    payload: JSON.stringify({ subscriptionId: subscription.id, due: next }),
    now: now.toISOString(),
    jobId: job.id,
    claimedBy: job.claimedBy,
    attempts: job.attempts,
  });
  return (row?.advanced ?? 0) > 0;
}

/**
 * Ends the occurrence in one transaction, reading the subscription again under its lock: it moves to its first occurrence
 * after both now and this one (queued with it), or pauses after a refusal, and the job is finished, so the two cannot
 * diverge. One switched off, paused or moved meanwhile is left as it is. (See advance for the usual, shorter way.)
 */
async function finishOccurrence(deps: Deps, job: JobRow<'digest.send'>, due: Date, paused: RefusalReason | undefined): Promise<void> {
  const now = deps.now();
  const after = now > due ? now : due;
  await deps.db.transaction(async (tx) => {
    const [subscription] = await tx.select().from(digestSubscriptions).where(eq(digestSubscriptions.id, job.payload.subscriptionId)).for('update');
    if (subscription && isCurrent(subscription, due)) {
      const [updated] = await tx
        .update(digestSubscriptions)
        .set(
          paused
            ? { status: 'paused', pausedReason: paused, nextAt: null, updatedAt: now }
            : { nextAt: nextOccurrence(subscription.schedule as Recurrence, after, subscription.timeZone), updatedAt: now },
        )
        .where(eq(digestSubscriptions.id, subscription.id))
        .returning();
      await scheduleNextDigest(tx, updated!);
    }
    await finishJob(tx, job, now);
  });
}

/**
 * `digest now`: this week's digest as of now, in the channel's zone (its subscription's, else the alliance's) and the
 * language the command chose, posted once under the job's key. A refusal is recorded under `<key>:refused` with its reason,
 * for the command to tell the requester, and not retried.
 */
async function postNow(deps: Deps, job: JobRow<'digest.post'>): Promise<void> {
  const { conversation, locale, requestedBy } = job.payload;
  const [row] = await deps.db
    .select({ alliance: alliances, zone: digestSubscriptions.timeZone, posted: deliveries.key })
    .from(alliances)
    .leftJoin(digestSubscriptions, and(eq(digestSubscriptions.allianceId, alliances.id), eq(digestSubscriptions.conversation, conversation)))
    .leftJoin(deliveries, eq(deliveries.key, job.key))
    .where(eq(alliances.id, job.allianceId));
  if (!row || row.posted !== null) return;
  const week = await gatherWeek(deps.db, job.allianceId, deps.now(), row.zone ?? row.alliance.timeZone);
  let ref: string;
  try {
    ref = await deps.delivery.post(conversation, renderDigest(week, locale));
  } catch (err) {
    if (!(err instanceof DeliveryRefused)) throw err;
    deps.log.warn({ alliance: job.allianceId, requestedBy, reason: err.reason, platformError: err.platformError }, 'digest now refused by the platform');
    await recordDelivery(deps.db, job.allianceId, `${job.key}:refused`, err.reason);
    return;
  }
  await recordDelivery(deps.db, job.allianceId, job.key, ref);
}
