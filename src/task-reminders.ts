// Minga's own reminders of task due dates: each recipient hears at 09:00 their time the day before and on the day, kept in step with the task.
//
// Recipients' zones differ, so there is one reminder row per recipient member (target_kind 'member', task_id set, created_by
// null), each in that member's zone; an organization's task gets one per member of the organization. A row is one-off in
// the schema (no recurrence) but has two occurrences: after the day-before one, the handler moves it to the due day (see
// `taskReminderTimes`, which both use). `syncTaskReminders` is called wherever a task's due date, assignee, status or the
// organization's membership changes, and makes the rows match; a deleted task's rows go with it (on delete cascade).
import { and, eq, exists, inArray, isNotNull, or } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alliances, members, organizationMembers, reminders, tasks } from '../db/schema.js';
import { memberTimeZone, type Actor } from './identity.js';
import { nextNumber } from './numbers.js';
import { authorize } from './permissions.js';
import { scheduleNextOccurrence } from './reminders.js';
import { addDays } from './time/dates.js';
import { zonedTime } from './time/zones.js';

/** The hour of the day, on the recipient's wall clock, when task reminders go out. */
export const TASK_REMINDER_HOUR = 9;

/** When a recipient in `timeZone` hears about a task due on `dueOn`, from what is still to come after `after`: 09:00 the day before, 09:00 on the day. */
export function taskReminderTimes(dueOn: string, timeZone: string, after: Date): Date[] {
  return [addDays(dueOn, -1), dueOn].map((date) => zonedTime(date, TASK_REMINDER_HOUR, 0, timeZone)).filter((at) => at > after);
}

/** Makes a task's reminders match the task as it is now: who should hear, and when next. Call in the transaction that changed it. */
export async function syncTaskReminders(tx: Db, taskId: number, now: Date): Promise<void> {
  const wanted = await wantedReminders(tx, taskId, now);
  const current = await tx
    .select()
    .from(reminders)
    .where(and(eq(reminders.taskId, taskId), eq(reminders.status, 'active')))
    .for('update');
  for (const reminder of current) {
    const want = reminder.targetMemberId === null ? undefined : wanted.members.get(reminder.targetMemberId);
    if (!want) {
      // Its job finds it cancelled and sends nothing.
      await tx.update(reminders).set({ status: 'cancelled', nextAt: null }).where(eq(reminders.id, reminder.id));
      continue;
    }
    wanted.members.delete(reminder.targetMemberId!);
    if (reminder.nextAt?.getTime() === want.nextAt.getTime() && reminder.timeZone === want.timeZone && reminder.text === wanted.title) continue;
    // The job queued for the old time finds next_at moved and sends nothing; the new time gets its own job.
    const [moved] = await tx
      .update(reminders)
      .set({ nextAt: want.nextAt, timeZone: want.timeZone, text: wanted.title })
      .where(eq(reminders.id, reminder.id))
      .returning();
    await scheduleNextOccurrence(tx, moved!);
  }
  for (const [memberId, want] of wanted.members) {
    const [added] = await tx
      .insert(reminders)
      .values({
        allianceId: wanted.allianceId,
        number: await nextNumber(tx, wanted.allianceId, 'reminder'),
        createdBy: null,
        targetKind: 'member',
        targetMemberId: memberId,
        text: wanted.title,
        nextAt: want.nextAt,
        timeZone: want.timeZone,
        taskId,
      })
      .returning();
    await scheduleNextOccurrence(tx, added!);
  }
}

/** Who should hear about the task and when next: nobody once it is done, has no due date or assignee, or the alliance switched them off. */
async function wantedReminders(tx: Db, taskId: number, now: Date) {
  const wanted = { allianceId: 0, title: '', members: new Map<number, { nextAt: Date; timeZone: string }>() };
  const [row] = await tx.select({ task: tasks, alliance: alliances }).from(tasks).innerJoin(alliances, eq(alliances.id, tasks.allianceId)).where(eq(tasks.id, taskId));
  if (!row) return wanted;
  const { task, alliance } = row;
  wanted.allianceId = alliance.id;
  wanted.title = task.title;
  if (task.status !== 'open' || !task.dueOn || !alliance.taskReminders) return wanted;
  const recipients = task.assigneeMemberId
    ? await tx.select({ id: members.id, timeZone: members.timeZone, chosenTimeZone: members.chosenTimeZone }).from(members).where(eq(members.id, task.assigneeMemberId))
    : task.assigneeOrganizationId
      ? await tx
          .select({ id: members.id, timeZone: members.timeZone, chosenTimeZone: members.chosenTimeZone })
          .from(organizationMembers)
          .innerJoin(members, eq(members.id, organizationMembers.memberId))
          .where(eq(organizationMembers.organizationId, task.assigneeOrganizationId))
      : [];
  for (const recipient of recipients) {
    const timeZone = memberTimeZone(recipient, alliance);
    const [nextAt] = taskReminderTimes(task.dueOn, timeZone, now);
    if (nextAt) wanted.members.set(recipient.id, { nextAt, timeZone });
  }
  return wanted;
}

/** Re-syncs every open task with a due date assigned to the organization: its members changed. */
export async function syncOrganizationTaskReminders(tx: Db, organizationId: number, now: Date): Promise<void> {
  const assigned = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.assigneeOrganizationId, organizationId), eq(tasks.status, 'open'), isNotNull(tasks.dueOn)));
  for (const task of assigned) await syncTaskReminders(tx, task.id, now);
}

/**
 * Re-syncs the alliance's open tasks with a due date, and those that still have reminders: after task reminders are
 * switched, or the alliance's zone changed (it is the zone of members who chose none).
 */
export async function syncAllianceTaskReminders(tx: Db, allianceId: number, now: Date): Promise<void> {
  const affected = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(
        eq(tasks.allianceId, allianceId),
        or(
          and(eq(tasks.status, 'open'), isNotNull(tasks.dueOn)),
          exists(tx.select({ id: reminders.id }).from(reminders).where(and(eq(reminders.taskId, tasks.id), eq(reminders.status, 'active')))),
        ),
      ),
    );
  for (const { id } of affected) await syncTaskReminders(tx, id, now);
}

/** Re-syncs the tasks a member hears about (theirs and their organizations'): after their time zone changed. */
export async function syncMemberTaskReminders(tx: Db, memberId: number, now: Date): Promise<void> {
  const theirOrganizations = tx.select({ id: organizationMembers.organizationId }).from(organizationMembers).where(eq(organizationMembers.memberId, memberId));
  const affected = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.status, 'open'), isNotNull(tasks.dueOn), or(eq(tasks.assigneeMemberId, memberId), inArray(tasks.assigneeOrganizationId, theirOrganizations))));
  for (const { id } of affected) await syncTaskReminders(tx, id, now);
}

/** A coordinator switches task reminders on or off for the whole alliance; the reminders already set follow at once. */
export async function switchTaskReminders(tx: Db, actor: Actor, enabled: boolean, now: Date): Promise<void> {
  authorize(actor, 'task.reminders');
  await tx.update(alliances).set({ taskReminders: enabled }).where(eq(alliances.id, actor.alliance.id));
  await syncAllianceTaskReminders(tx, actor.alliance.id, now);
}
