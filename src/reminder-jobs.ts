// Delivering reminders: the 'reminder.send' job sends one occurrence to each recipient once, tells the setter about a refusal, and queues the next occurrence in the transaction that finishes this one.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alliances, members, reminders, tasks } from '../db/schema.js';
import { conversationId } from './conversation.js';
import { EVERYWHERE, homeChannels, refusedHome } from './everywhere.js';
import { DeliveryRefused, LATE_AFTER_MS, people, recordDelivery, wasDelivered, type DeliveryDeps, type Person } from './delivery.js';
import { allianceLocale, t, type Locale } from './i18n/index.js';
import { displayMember, type AllianceRow } from './identity.js';
import { errorMessage } from './log.js';
import { deliveryKey, scheduleNextOccurrence, type ReminderRow } from './reminders.js';
import { textReply } from './reply.js';
import { finishJob, MAX_ATTEMPTS, pastLastAttempt, type JobRow } from './scheduler/jobs.js';
import type { JobHandlers } from './scheduler/scheduler.js';
import { taskReminderTimes } from './task-reminders.js';
import { nextOccurrence, type Recurrence } from './time/recurrence.js';
import { formatMoment, wallClock } from './time/zones.js';

type Deps = DeliveryDeps;

/** Where one message of an occurrence goes: `key` names the recipient in the `deliveries` key. */
type Recipient = { key: string; person: Person } | { key: string; conversation: string; locale: Locale; timeZone: string };

/** An occurrence's reminder with what its messages need. */
interface Loaded {
  reminder: ReminderRow;
  alliance: AllianceRow;
  /** The task whose due date it is about, for Minga's own task reminders. */
  task: typeof tasks.$inferSelect | null;
  /** Who set it; none for task reminders (or once that member is gone). */
  setter: Person | undefined;
  /** The setter as the reminder names them: with their platform when the alliance spans several. */
  setterName: string;
}

export function reminderJobHandlers(deps: Deps): JobHandlers {
  return { 'reminder.send': (job) => sendOccurrence(deps, job) };
}

async function sendOccurrence(deps: Deps, job: JobRow<'reminder.send'>): Promise<void> {
  const due = new Date(job.payload.due);
  const loaded = await load(deps, job.payload.reminderId);
  // Gone, cancelled, finished, or moved to another time (whose own job will run): nothing to send for this one.
  if (!loaded || !isCurrent(loaded.reminder, due)) return;
  if (pastLastAttempt(job)) {
    // Every earlier claim died during the job (the process was killed, or crashed): those not reached yet are given up, and
    // the reminder moves on to its next occurrence.
    deps.log.error({ reminder: loaded.reminder.id, due: job.payload.due }, 'reminder given up: the process died during each of its attempts');
    return finishOccurrence(deps, job, due);
  }
  const late = deps.now().getTime() - due.getTime() > LATE_AFTER_MS;
  const failures: unknown[] = [];
  for (const recipient of await recipientsOf(deps, loaded)) {
    // One recipient's failure must not hold back the others; those served are recorded and skipped on the retry.
    await deliverTo(deps, loaded, due, recipient, late).catch((err: unknown) => failures.push(err));
  }
  if (failures.length > 0) {
    const failure = new Error(`${failures.length} deliveries of reminder ${loaded.reminder.id} failed: ${errorMessage(failures[0])}`, { cause: failures[0] });
    // The scheduler retries with backoff; after the last attempt the occurrence is given up, and the reminder moves on.
    if (job.attempts < MAX_ATTEMPTS) throw failure;
    deps.log.error({ err: failure, reminder: loaded.reminder.id, due: job.payload.due, failed: failures.length }, 'reminder given up after the last attempt');
  }
  await finishOccurrence(deps, job, due);
}

const isCurrent = (reminder: ReminderRow, due: Date) => reminder.status === 'active' && reminder.nextAt?.getTime() === due.getTime();

/** The reminder with its alliance, its task (for task reminders) and who set it. */
async function load(deps: Deps, reminderId: number): Promise<Loaded | undefined> {
  const [row] = await deps.db
    .select({ reminder: reminders, alliance: alliances, task: tasks })
    .from(reminders)
    .innerJoin(alliances, eq(alliances.id, reminders.allianceId))
    .leftJoin(tasks, eq(tasks.id, reminders.taskId))
    .where(eq(reminders.id, reminderId));
  if (!row) return undefined;
  const setter = row.reminder.createdBy === null ? undefined : (await people(deps, row.alliance, eq(members.id, row.reminder.createdBy)))[0];
  return { ...row, setter, setterName: setter ? await displayMember(deps.db, setter.member) : '' };
}

async function recipientsOf(deps: Deps, { reminder, alliance }: Loaded): Promise<Recipient[]> {
  const direct = (person: Person): Recipient => ({
    key: conversationId({ platform: person.platform, workspaceId: person.workspaceId, channelId: person.member.platformUserId }),
    person,
  });
  switch (reminder.targetKind) {
    case 'member':
      return reminder.targetMemberId === null ? [] : (await people(deps, alliance, eq(members.id, reminder.targetMemberId))).map(direct);
    case 'organization':
      return reminder.targetOrganizationId === null
        ? []
        : (await people(deps, alliance, eq(members.allianceId, alliance.id), reminder.targetOrganizationId)).map(direct);
    case 'channel': {
      const channel = (conversation: string): Recipient => ({ key: conversation, conversation, locale: allianceLocale(alliance, deps.defaults.locale), timeZone: reminder.timeZone });
      // `remind everywhere`: each linked workspace's home channel as it is now, each its own delivery.
      if (reminder.targetConversation === EVERYWHERE) return (await homeChannels(deps.db, alliance.id)).map(channel);
      return reminder.targetConversation === null ? [] : [channel(reminder.targetConversation)];
    }
    default:
      return [];
  }
}

/** Sends to one recipient unless `deliveries` says it was already done; a refusal is reported and recorded, so it is not tried again. */
async function deliverTo(deps: Deps, loaded: Loaded, due: Date, recipient: Recipient, late: boolean): Promise<void> {
  const { reminder } = loaded;
  const key = deliveryKey(reminder.id, due, recipient.key);
  if (await wasDelivered(deps.db, key)) return;
  const locale = 'person' in recipient ? recipient.person.locale : recipient.locale;
  const timeZone = 'person' in recipient ? recipient.person.timeZone : recipient.timeZone;
  const reply = textReply(locale, reminderText(loaded, due, recipient, locale, timeZone, late), 'public');
  let ref: string | null;
  try {
    ref = 'person' in recipient
      ? await deps.delivery.sendDirect(recipient.person.platform, recipient.person.workspaceId, recipient.person.member.platformUserId, reply)
      : await deps.delivery.post(recipient.conversation, reply);
  } catch (err) {
    if (!(err instanceof DeliveryRefused)) throw err;
    await reportRefusal(deps, loaded, key, recipient, err);
    ref = null;
  }
  // Written right after the platform accepted it: a process killed between the two is the one way to send it twice.
  await recordDelivery(deps.db, reminder.allianceId, key, ref);
}

/** "Reminder from @ana: Call the partners", or a task's due date, with "(late: was due …)" when it is late. */
function reminderText(loaded: Loaded, due: Date, recipient: Recipient, locale: Locale, timeZone: string, late: boolean): string {
  const { reminder, task, setter, setterName } = loaded;
  let text: string;
  if (task) {
    const today = wallClock(due, timeZone).date === task.dueOn;
    text = t(locale, today ? 'reminder.taskDueToday' : 'reminder.taskDueTomorrow', { number: task.number, title: task.title });
  } else if (setter && !('person' in recipient && recipient.person.member.id === setter.member.id)) {
    text = t(locale, 'reminder.from', { setter: setterName, text: reminder.text });
  } else {
    text = t(locale, 'reminder.yours', { text: reminder.text });
  }
  return late ? `${text} ${t(locale, 'reminder.late', { when: formatMoment(due, locale, timeZone) })}` : text;
}

/**
 * Tells whoever set the reminder that it could not reach a recipient, once (recorded under its own key). Minga's own task
 * reminders have nobody to tell: the log says it. A setter who cannot be written to either is logged too.
 */
async function reportRefusal(deps: Deps, { reminder, setter }: Loaded, key: string, recipient: Recipient, refusal: DeliveryRefused): Promise<void> {
  deps.log.warn({ reminder: reminder.id, reason: refusal.reason, platformError: refusal.platformError }, 'reminder refused by the platform');
  if (!setter || ('person' in recipient && recipient.person.member.id === setter.member.id)) return;
  const noticeKey = `${key}:refused`;
  if (await wasDelivered(deps.db, noticeKey)) return;
  const params = { number: reminder.number, recipient: 'person' in recipient ? await displayMember(deps.db, recipient.person.member) : '' };
  // A home channel of `remind everywhere` is named: the reminder has several, and the others were served.
  const home = !('person' in recipient) && reminder.targetConversation === EVERYWHERE ? refusedHome(setter.locale, reminder.number, recipient.conversation, refusal) : undefined;
  const reply = textReply(setter.locale, home ?? t(setter.locale, `reminder.refused.${refusal.reason}`, params), 'public');
  let ref: string | null = null;
  try {
    ref = await deps.delivery.sendDirect(setter.platform, setter.workspaceId, setter.member.platformUserId, reply);
  } catch (err) {
    if (!(err instanceof DeliveryRefused)) throw err;
    deps.log.warn({ reminder: reminder.id, reason: err.reason }, 'could not tell the setter about a refused reminder');
  }
  await recordDelivery(deps.db, reminder.allianceId, noticeKey, ref);
}

/**
 * Ends the occurrence in one transaction: the reminder moves to its next time (queued with it) or is done, and the job is
 * finished, so the two cannot diverge. After downtime the next time is the first one still to come: missed occurrences
 * in between are not sent, the one that ran was (late). A reminder cancelled or moved meanwhile is left as it is.
 */
async function finishOccurrence(deps: Deps, job: JobRow<'reminder.send'>, due: Date): Promise<void> {
  const now = deps.now();
  const after = now > due ? now : due;
  await deps.db.transaction(async (tx) => {
    const [reminder] = await tx.select().from(reminders).where(eq(reminders.id, job.payload.reminderId)).for('update');
    if (reminder && isCurrent(reminder, due)) {
      const nextAt = await nextTime(tx, reminder, after);
      const [updated] = await tx
        .update(reminders)
        .set(nextAt ? { nextAt } : { status: 'done', nextAt: null })
        .where(eq(reminders.id, reminder.id))
        .returning();
      await scheduleNextOccurrence(tx, updated!);
    }
    await finishJob(tx, job, now);
  });
}

/** A recurring reminder's next occurrence, a task reminder's due day after the day before; none for a one-off. */
async function nextTime(tx: Db, reminder: ReminderRow, after: Date): Promise<Date | undefined> {
  if (reminder.taskId !== null) {
    const [task] = await tx.select({ dueOn: tasks.dueOn }).from(tasks).where(eq(tasks.id, reminder.taskId));
    return task?.dueOn ? taskReminderTimes(task.dueOn, reminder.timeZone, after)[0] : undefined;
  }
  return reminder.recurrence ? nextOccurrence(reminder.recurrence as Recurrence, after, reminder.timeZone) : undefined;
}
