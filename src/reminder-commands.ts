// Runs the reminder commands inside the command's transaction: set one (for me, a member, an organization or a channel), list, cancel.
import type { Command, CommandContext } from './commands/command.js';
import { remindedEverywhere } from './everywhere.js';
import { cancelReminder, createReminder, listReminders } from './reminders.js';
import { renderReminderCancelled, renderReminderCreated, renderReminderList } from './render/reminders.js';
import type { Reply } from './reply.js';

type ReminderCommand = Extract<Command, { kind: `reminder.${string}` }>;

export async function executeReminder(context: CommandContext, command: ReminderCommand): Promise<Reply> {
  const { tx, actor, now } = context;
  switch (command.kind) {
    case 'reminder.create': {
      const created = await createReminder(tx, actor, command, now);
      const reply = renderReminderCreated(created, actor.locale);
      return command.target.kind === 'everywhere' ? remindedEverywhere(tx, actor, created.reminder, reply) : reply;
    }
    case 'reminder.list': {
      const { views, total } = await listReminders(tx, actor);
      return renderReminderList(views, total, actor.locale);
    }
    case 'reminder.cancel':
      return renderReminderCancelled(await cancelReminder(tx, actor, command.reminder), actor.locale);
  }
}
