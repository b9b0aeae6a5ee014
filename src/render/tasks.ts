// Renders tasks into platform-neutral replies: a confirmation after a change, and lists with a Done button per open task.
import type { TaskFilter } from '../commands/command.js';
import { t, type Locale, type MessageKey } from '../i18n/index.js';
import type { Reply } from '../reply.js';
import type { TaskView } from '../tasks.js';
import { formatDate } from '../time/dates.js';

export type TaskChange = 'added' | 'completed' | 'assigned' | 'reopened' | 'deleted';

/** Changes are posted for the channel to see: that is how an alliance keeps up with its work. */
export function renderTaskChange(change: TaskChange, task: TaskView, locale: Locale, today: string): Reply {
  const text = t(locale, `task.${change}`, {
    number: task.number,
    title: task.title,
    assignee: task.assignee ?? t(locale, 'task.nobody'),
  });
  const fields =
    change === 'added'
      ? [
          { label: t(locale, 'task.field.assignee'), value: task.assignee ?? t(locale, 'task.nobody') },
          ...(task.dueOn ? [{ label: t(locale, 'task.field.due'), value: formatDate(task.dueOn, locale, today) }] : []),
        ]
      : undefined;
  return { visibility: 'public', locale, lines: [{ text }], ...(fields && { fields }) };
}

const listHeadings: Record<TaskFilter, MessageKey> = {
  open: 'task.list.open',
  mine: 'task.list.mine',
  overdue: 'task.list.overdue',
  all: 'task.list.all',
};

export function renderTaskList(
  filter: TaskFilter,
  list: { tasks: TaskView[]; total: number },
  locale: Locale,
  today: string,
): Reply {
  const heading = t(locale, listHeadings[filter]);
  if (list.tasks.length === 0) {
    return { visibility: 'ephemeral', locale, heading, lines: [{ text: t(locale, 'task.list.empty') }] };
  }
  const lines = list.tasks.map((task) => ({
    text: taskLine(task, locale, today),
    ...(task.status === 'open' && {
      button: { label: t(locale, 'task.button.done'), action: 'task.done' as const, value: String(task.id), style: 'primary' as const },
    }),
  }));
  const hidden = list.total - list.tasks.length;
  return {
    visibility: 'ephemeral',
    locale,
    heading,
    lines,
    ...(hidden > 0 && { more: t(locale, 'list.more', { count: hidden }) }),
  };
}

/** One line per task: `#3 Buy banners · @ana · due Tue, Dec 1`. */
export function taskLine(task: TaskView, locale: Locale, today: string): string {
  const parts = [`#${task.number} ${task.title}`];
  if (task.assignee) parts.push(task.assignee);
  if (task.status === 'done') parts.push(t(locale, 'task.line.done'));
  else if (task.dueOn) {
    const date = formatDate(task.dueOn, locale, today);
    parts.push(t(locale, task.dueOn < today ? 'task.line.overdue' : 'task.line.due', { date }));
  }
  return parts.join(' · ');
}

/** The fields of the new-task form (a Slack modal; other platforms use the command's text form). */
export function renderTaskForm(locale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    lines: [{ text: t(locale, 'error.titleMissing') }],
    form: {
      id: 'task.add',
      title: t(locale, 'task.form.title'),
      submitLabel: t(locale, 'task.form.submit'),
      cancelLabel: t(locale, 'task.form.cancel'),
      inputs: [
        { id: 'title', label: t(locale, 'task.form.titleLabel'), kind: 'text', maxLength: 200 },
        { id: 'assignee', label: t(locale, 'task.form.assigneeLabel'), kind: 'user', optional: true },
        { id: 'due', label: t(locale, 'task.form.dueLabel'), kind: 'date', optional: true },
      ],
    },
  };
}
