// Turns a submitted form (a Slack modal) into the core's typed command, so adapters only collect the values.
import type { Command } from './commands/command.js';
import { UserError } from './errors.js';
import type { ReplyForm } from './reply.js';

export type FormValues = Record<string, string | boolean | undefined>;

const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value.trim() : '');

export function formCommand(id: ReplyForm['id'], values: FormValues): Command {
  switch (id) {
    case 'task.add': {
      const assignee = text(values.assignee);
      const due = text(values.due);
      return {
        kind: 'task.add',
        title: text(values.title),
        ...(assignee && { assignee: { kind: 'member' as const, member: { userId: assignee } } }),
        ...(due && { dueOn: due }),
      };
    }
    case 'poll.create': {
      const options = text(values.options)
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const closes = text(values.closes);
      return {
        kind: 'poll.create',
        pollKind: 'choice',
        question: text(values.question),
        options,
        maxChoices: values.multi === true ? Math.max(options.length, 1) : 1,
        anonymous: values.anonymous === true,
        hideResults: values.hideResults === true,
        ...(closes && { closes }),
        ...(values.everywhere === true && { everywhere: true }),
      };
    }
    default:
      // The id comes back from the platform: never trust it to be one of ours.
      throw new UserError('error.unknownCommand', { input: String(id) });
  }
}
