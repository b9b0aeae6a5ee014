// Runs the reminder commands inside the command's transaction: set one (for me, a member, an organization or a channel), list, cancel.
import type { Command, CommandContext } from './commands/command.js';
import { remindEverywhere } from './everywhere-commands.js';
import { cancelReminder, createReminder, listReminders } from './reminders.js';
import { renderReminderCancelled, renderReminderCreated, renderReminderList } from './render/reminders.js';
import type { Reply } from './reply.js';
import { recordChange } from './history.js';

type ReminderCommand = Extract<Command, { kind: `reminder.${string}` }>;

export async function executeReminder(context: CommandContext, command: ReminderCommand): Promise<Reply> {
  const { tx, actor, now } = context;
  // `remind everywhere`: set as any reminder, and the answer says where it goes today (see everywhere-commands.ts).
  if (command.kind === 'reminder.create' && command.target.kind === 'everywhere') return remindEverywhere(context, command);
  switch (command.kind) {
    case 'reminder.create': {
      const created = await createReminder(tx, actor, command, now);
      // Its number only: what a reminder says may be meant for one person, and history is for everyone.
      await recordChange(tx, actor, { subject: `reminder:${created.reminder.number}`, action: 'history.reminder.created', details: { number: created.reminder.number } });
      return renderReminderCreated(created, actor.locale);
    }
    case 'reminder.list': {
      const { views, total } = await listReminders(tx, actor);
      return renderReminderList(views, total, actor.locale);
    }
    case 'reminder.cancel': {
      const cancelled = await cancelReminder(tx, actor, command.reminder);
      await recordChange(tx, actor, { subject: `reminder:${cancelled.reminder.number}`, action: 'history.reminder.cancelled', details: { number: cancelled.reminder.number } });
      return renderReminderCancelled(cancelled, actor.locale);
    }
  }
}
