// Alliance tasks: add, list, complete, assign, reopen and delete, always within the actor's alliance.
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/connection.js';
import { prepared } from '../db/prepared.js';
import { members, organizationMembers, organizations, tasks } from '../db/schema.js';
import type { Assignee, TaskFilter, TaskRef } from './commands/command.js';
import { checkOrgSlug } from './commands/rules.js';
import { UserError } from './errors.js';
import { displayMember, memberForMention, memberNameOn, shownPlatform, type Actor } from './identity.js';
import { authorize } from './permissions.js';
import { nextNumber } from './numbers.js';
import { findOrganization } from './organizations.js';
import { syncTaskReminders } from './task-reminders.js';

export interface TaskView {
  id: number;
  number: number;
  title: string;
  status: 'open' | 'done';
  dueOn: string | null;
  /** `@name` or the organization's name; null when unassigned. */
  assignee: string | null;
}

/** How many tasks a list shows at most; the rest is counted as "and N more". */
export const TASK_LIST_LIMIT = 50;

type TaskRow = typeof tasks.$inferSelect;

/** `now` is when the command runs: the task's due-date reminders (see task-reminders.ts) are set from it. */
export async function addTask(
  tx: Db,
  actor: Actor,
  input: { title: string; assignee?: Assignee; dueOn?: string },
  now: Date,
): Promise<TaskView> {
  const assigned = input.assignee ? await resolveAssignee(tx, actor, input.assignee) : undefined;
  const number = await nextNumber(tx, actor.alliance.id, 'task');
  const [row] = await tx
    .insert(tasks)
    .values({
      allianceId: actor.alliance.id,
      number,
      title: input.title,
      dueOn: input.dueOn ?? null,
      createdBy: actor.member.id,
      assigneeMemberId: assigned?.memberId ?? null,
      assigneeOrganizationId: assigned?.organizationId ?? null,
    })
    .returning();
  // A new task has no reminders yet, and wants some only with an assignee and a due date (see syncTaskReminders): most
  // are added without one or the other, and need neither of its two reads.
  if (assigned && input.dueOn) await syncTaskReminders(tx, row!.id, now);
  return view(row!, assigned?.name ?? null);
}

export async function completeTask(tx: Db, actor: Actor, ref: TaskRef, now: Date): Promise<TaskView> {
  const task = await lockTask(tx, actor, ref);
  if (task.status === 'done') throw new UserError('error.taskAlreadyDone', { number: task.number });
  await tx
    .update(tasks)
    .set({ status: 'done', completedBy: actor.member.id, completedAt: new Date() })
    .where(eq(tasks.id, task.id));
  await syncTaskReminders(tx, task.id, now);
  return taskView(tx, actor, task.id);
}

export async function reopenTask(tx: Db, actor: Actor, ref: TaskRef, now: Date): Promise<TaskView> {
  const task = await lockTask(tx, actor, ref);
  if (task.status === 'open') throw new UserError('error.taskAlreadyOpen', { number: task.number });
  await tx.update(tasks).set({ status: 'open', completedBy: null, completedAt: null }).where(eq(tasks.id, task.id));
  await syncTaskReminders(tx, task.id, now);
  return taskView(tx, actor, task.id);
}

export async function assignTask(tx: Db, actor: Actor, ref: TaskRef, assignee: Assignee, now: Date): Promise<TaskView> {
  const task = await lockTask(tx, actor, ref);
  const assigned = await resolveAssignee(tx, actor, assignee);
  await tx
    .update(tasks)
    .set({ assigneeMemberId: assigned.memberId ?? null, assigneeOrganizationId: assigned.organizationId ?? null })
    .where(eq(tasks.id, task.id));
  await syncTaskReminders(tx, task.id, now);
  return taskView(tx, actor, task.id);
}

export async function deleteTask(tx: Db, actor: Actor, ref: TaskRef): Promise<TaskView> {
  const task = await lockTask(tx, actor, ref);
  authorize(actor, 'task.delete', { createdBy: task.createdBy });
  const shown = await taskView(tx, actor, task.id);
  // Its reminders go with it (on delete cascade): their jobs find nothing to send.
  await tx.delete(tasks).where(eq(tasks.id, task.id));
  return shown;
}

export async function listTasks(
  tx: Db,
  actor: Actor,
  filter: TaskFilter,
  today: string,
): Promise<{ tasks: TaskView[]; total: number }> {
  // How many match in all comes with the rows (counted before the limit): one statement for the whole list, prepared.
  const query = prepared(tx, `task_list_${filter}`, (db) =>
    selectViews(db, { total: sql<number>`count(*) over ()`.mapWith(Number) })
      .where(and(eq(tasks.allianceId, sql.placeholder('alliance')), filterCondition(filter)))
      .orderBy(sql`case when ${tasks.status} = 'open' then 0 else 1 end`, sql`${tasks.dueOn} asc nulls last`, asc(tasks.number))
      .limit(TASK_LIST_LIMIT)
      .prepare(`task_list_${filter}`),
  );
  const rows = await query.execute({ alliance: actor.alliance.id, member: actor.member.id, today });
  return { tasks: rows.map(toView), total: rows[0]?.total ?? 0 };
}

export interface TaskSuggestion {
  number: number;
  title: string;
}

/** Up to 25 open tasks (Discord's autocomplete limit) whose number starts with, or title contains, what was typed. */
export async function suggestTasks(tx: Db, actor: Actor, typed: string): Promise<TaskSuggestion[]> {
  const query = typed.trim().replace(/^#/, '');
  const matches = query
    ? or(sql`${tasks.number}::text like ${`${query.replace(/[\\%_]/g, '')}%`}`, sql`strpos(lower(${tasks.title}), lower(${query})) > 0`)
    : undefined;
  return tx
    .select({ number: tasks.number, title: tasks.title })
    .from(tasks)
    .where(and(eq(tasks.allianceId, actor.alliance.id), eq(tasks.status, 'open'), matches))
    .orderBy(asc(tasks.number))
    .limit(25);
}

/** The filter's condition; the member and today are the placeholders `member` and `today`. */
function filterCondition(filter: TaskFilter): SQL | undefined {
  switch (filter) {
    case 'all':
      return undefined;
    case 'open':
      return eq(tasks.status, 'open');
    case 'overdue':
      return and(eq(tasks.status, 'open'), sql`${tasks.dueOn} < ${sql.placeholder('today')}::date`);
    case 'mine': {
      const me = sql.placeholder('member');
      const myOrganizations = sql`(select ${organizationMembers.organizationId} from ${organizationMembers} where ${organizationMembers.memberId} = ${me})`;
      return and(eq(tasks.status, 'open'), or(sql`${tasks.assigneeMemberId} = ${me}`, inArray(tasks.assigneeOrganizationId, myOrganizations)));
    }
  }
}

/** Finds a task of the actor's alliance and locks it for the change; a number or id from elsewhere is "not found". */
async function lockTask(tx: Db, actor: Actor, ref: TaskRef): Promise<TaskRow> {
  const byRef = 'id' in ref ? eq(tasks.id, ref.id) : eq(tasks.number, ref.number);
  const [task] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.allianceId, actor.alliance.id), byRef))
    .for('update');
  if (!task) throw new UserError('error.taskNotFound', { number: 'number' in ref ? ref.number : '?' });
  return task;
}

async function resolveAssignee(tx: Db, actor: Actor, assignee: Assignee) {
  if (assignee.kind === 'organization') {
    const organization = await findOrganization(tx, actor, checkOrgSlug(assignee.slug));
    return { organizationId: organization.id, memberId: undefined, name: organization.name };
  }
  const member = await memberForMention(tx, actor, assignee.member);
  return { memberId: member.id, organizationId: undefined, name: await displayMember(tx, member) };
}

const assigneeMember = alias(members, 'assignee_member');

/** Tasks with their assignee's name, and any `extra` columns. */
export function selectViews<Extra extends Record<string, SQL.Aliased | SQL | AnyPgColumn>>(tx: Db, extra = {} as Extra) {
  return tx
    .select({
      // What a task view shows, no more: every column read is a column mapped, on every row of every list.
      task: { id: tasks.id, number: tasks.number, title: tasks.title, status: tasks.status, dueOn: tasks.dueOn },
      memberName: assigneeMember.displayName,
      memberUserId: assigneeMember.platformUserId,
      // Beside the name when the alliance spans several platforms: "@Ana (Discord)".
      memberPlatform: shownPlatform(assigneeMember.workspaceId),
      organizationName: organizations.name,
      ...extra,
    })
    .from(tasks)
    .leftJoin(assigneeMember, eq(assigneeMember.id, tasks.assigneeMemberId))
    .leftJoin(organizations, eq(organizations.id, tasks.assigneeOrganizationId))
    .$dynamic();
}

async function taskView(tx: Db, actor: Actor, id: number): Promise<TaskView> {
  const [row] = await selectViews(tx).where(and(eq(tasks.allianceId, actor.alliance.id), eq(tasks.id, id)));
  return toView(row!);
}

function toView(row: { task: ViewedTask; memberName: string | null; memberUserId: string | null; memberPlatform: string | null; organizationName: string | null }) {
  const assignee = row.memberUserId
    ? memberNameOn({ displayName: row.memberName, platformUserId: row.memberUserId }, row.memberPlatform)
    : row.organizationName;
  return view(row.task, assignee);
}

type ViewedTask = Pick<TaskRow, 'id' | 'number' | 'title' | 'status' | 'dueOn'>;

function view(task: ViewedTask, assignee: string | null): TaskView {
  return {
    id: task.id,
    number: task.number,
    title: task.title,
    status: task.status as TaskView['status'],
    dueOn: task.dueOn,
    assignee,
  };
}
