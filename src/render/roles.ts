// Renders who may do what, from the one table of rules (permissions.ts), for help. Pure.
import { t, type Locale, type MessageKey } from '../i18n/index.js';
import { actionsByRule, type GuardedAction, type Rule } from '../permissions.js';
import type { ReplyLine } from '../reply.js';

/** A heading and one line per rule, listing the commands it governs in the reader's words. */
export function roleLines(locale: Locale): ReplyLine[] {
  return [
    { text: `*${t(locale, 'help.roles')}*` },
    ...actionsByRule()
      .filter(([, actions]) => actions.length > 0)
      .map(([rule, actions]) => ({
        text: `• ${t(locale, RULE_KEYS[rule], { actions: actions.map((action) => t(locale, ACTION_KEYS[action])).join(', ') })}`,
      })),
  ];
}

/** Each rule's line; a table rather than a key built from the name, so a new rule without its words fails to compile. */
const RULE_KEYS: Record<Rule, MessageKey> = {
  anyone: 'help.roles.anyone',
  creator: 'help.roles.creator',
  setterOrTarget: 'help.roles.setterOrTarget',
  self: 'help.roles.self',
  coordinator: 'help.roles.coordinator',
};

/** How help names each guarded action; every action of the permissions table must have one (checked by the compiler). */
const ACTION_KEYS: Record<GuardedAction, MessageKey> = {
  'task.add': 'roles.task.add',
  'task.done': 'roles.task.done',
  'task.reopen': 'roles.task.reopen',
  'task.assign': 'roles.task.assign',
  'task.delete': 'roles.task.delete',
  'task.reminders': 'roles.task.reminders',
  'poll.create': 'roles.poll.create',
  'poll.close': 'roles.poll.close',
  'poll.remind': 'roles.poll.remind',
  'poll.delete': 'roles.poll.delete',
  'reminder.create': 'roles.reminder.create',
  'reminder.cancel': 'roles.reminder.cancel',
  'digest.on': 'roles.digest.on',
  'digest.off': 'roles.digest.off',
  'digest.now': 'roles.digest.now',
  'org.add': 'roles.org.add',
  'org.join': 'roles.org.join',
  'org.leave': 'roles.org.leave',
  'org.rename': 'roles.org.rename',
  'org.remove': 'roles.org.remove',
  'coordinator.add': 'roles.coordinator.add',
  'coordinator.remove': 'roles.coordinator.remove',
  'alliance.rename': 'roles.alliance.rename',
  'alliance.language': 'roles.alliance.language',
  'alliance.timezone': 'roles.alliance.timezone',
  'post.everywhere': 'roles.post.everywhere',
  'resource.share': 'roles.resource.share',
  'resource.remove': 'roles.resource.remove',
  'export': 'roles.export',
  'alliance.link': 'roles.alliance.link',
  'alliance.unlink': 'roles.alliance.unlink',
  'alliance.channel': 'roles.alliance.channel',
};
