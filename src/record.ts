// What each kind of change writes to the alliance's history (see history.ts): one small function per kind of thing, so every command records alike.
import type { Db } from '../db/connection.js';
import { recordChange } from './history.js';
import type { MessageKey } from './i18n/index.js';
import type { Actor } from './identity.js';
import type { TaskView } from './tasks.js';

type TaskAction = 'history.task.added' | 'history.task.completed' | 'history.task.reopened' | 'history.task.assigned' | 'history.task.deleted';

/** A task's change, with its number, title and assignee as they were then. */
export function recordTask(tx: Db, actor: Actor, action: TaskAction, task: TaskView): Promise<void> {
  return recordChange(tx, actor, {
    subject: `task:${task.number}`,
    action,
    details: { number: task.number, title: task.title, ...(task.assignee && { assignee: task.assignee }) },
  });
}

/** A poll's change (never a ballot: a vote is not history, and anonymous polls must stay anonymous). */
export function recordPoll(
  tx: Db,
  actor: Actor,
  action: 'history.poll.created' | 'history.poll.closed' | 'history.poll.deleted',
  poll: { number: number; question: string; anonymous: boolean },
): Promise<void> {
  // Closing an anonymous poll rewrites its ballots in this transaction: nothing in it may touch a member's row.
  const unlinked = poll.anonymous && action === 'history.poll.closed';
  return recordChange(tx, actor, { subject: `poll:${poll.number}`, action, details: { number: poll.number, question: poll.question }, ...(unlinked && { unlinked }) });
}

/** An organization's change; `details` beyond its slug and name (a member, a former name) as the action's message takes them. */
export function recordOrganization(
  tx: Db,
  actor: Actor,
  action: MessageKey,
  organization: { slug: string; name: string },
  details: Record<string, string | number> = {},
): Promise<void> {
  return recordChange(tx, actor, { subject: `org:${organization.slug}`, action, details: { slug: organization.slug, name: organization.name, ...details } });
}

/** A change to the alliance itself: its name, language, zone, task reminders, coordinators. */
export function recordAlliance(tx: Db, actor: Actor, action: MessageKey, details: Record<string, string | number> = {}): Promise<void> {
  return recordChange(tx, actor, { subject: 'alliance', action, details });
}
