// Who may change what: the one table of rules for every command that changes the alliance's shared state, used to refuse and to explain (help).
import { phrase, UserError } from './errors.js';
import type { MessageKey } from './i18n/index.js';
import { isCoordinator, type Actor } from './identity.js';

/**
 * The kinds of rule. A coordinator may always; the others add who else may:
 * - `anyone`: every member of the alliance (on any of its workspaces);
 * - `creator`: whoever created the thing (a task, a poll);
 * - `setterOrTarget`: whoever set a reminder, or the member it is for;
 * - `self`: a member acting on themselves (joining or leaving an organization);
 * - `coordinator`: coordinators only.
 * Platform admins (Slack admins and owners, Discord Manage Server) are coordinators of their own workspace's alliance: see
 * resolveActor, which makes them so at each command.
 */
export type Rule = 'anyone' | 'creator' | 'setterOrTarget' | 'self' | 'coordinator';

/** What a rule checks against: the thing's creator, the member it is for, the member acted on. */
export interface Facts {
  createdBy?: number | null;
  targetMemberId?: number | null;
  memberId?: number;
}

/**
 * Every command that changes shared state, and who may run it. Kept where they were reasonable; tightened where issue 12
 * asks (organizations, coordinators, the alliance's name). Reading commands (lists, results, history) are for anyone.
 */
export const PERMISSIONS = {
  'task.add': 'anyone',
  'task.done': 'anyone',
  'task.reopen': 'anyone',
  'task.assign': 'anyone',
  'task.delete': 'creator',
  'task.reminders': 'coordinator',
  'poll.create': 'anyone',
  'poll.close': 'creator',
  'poll.remind': 'creator',
  'poll.delete': 'creator',
  'reminder.create': 'anyone',
  'reminder.cancel': 'setterOrTarget',
  'digest.on': 'coordinator',
  'digest.off': 'coordinator',
  'digest.now': 'anyone',
  'org.add': 'coordinator',
  'org.join': 'self',
  'org.leave': 'self',
  'org.rename': 'coordinator',
  'org.remove': 'coordinator',
  'coordinator.add': 'coordinator',
  'coordinator.remove': 'coordinator',
  'alliance.rename': 'coordinator',
  'alliance.language': 'coordinator',
  'alliance.timezone': 'coordinator',
  /** A poll, proposal or reminder posted in every linked workspace's home channel: it reaches other organizations' workspaces. */
  'post.everywhere': 'coordinator',
  'resource.share': 'anyone',
  'resource.remove': 'creator',
  'export': 'coordinator',
  // link: `alliance join` is not here: it needs a platform admin of the joining workspace (see alliance-links.ts).
  'alliance.link': 'coordinator',
  'alliance.unlink': 'coordinator',
  'alliance.channel': 'coordinator',
} as const satisfies Record<string, Rule>;

export type GuardedAction = keyof typeof PERMISSIONS;

/** Who may, as the refusal says it ("Only {who} may do that."), per rule and, where the thing has a name, per action. */
function who(action: GuardedAction): MessageKey {
  const rule: Rule = PERMISSIONS[action];
  switch (rule) {
    case 'creator':
      if (action.startsWith('poll.')) return 'error.who.pollCreatorOrCoordinator';
      return action.startsWith('resource.') ? 'error.who.sharerOrCoordinator' : 'error.who.creatorOrCoordinator';
    case 'setterOrTarget':
      return 'error.who.reminderSetterTargetOrCoordinator';
    case 'self':
      return 'error.who.selfOrCoordinator';
    case 'anyone':
    case 'coordinator':
      return 'error.who.coordinator';
  }
}

/** Whether the actor may run `action` on a thing with these facts. */
export function mayRun(actor: Actor, action: GuardedAction, facts: Facts = {}): boolean {
  if (isCoordinator(actor)) return true;
  const rule: Rule = PERMISSIONS[action];
  const me = actor.member.id;
  switch (rule) {
    case 'anyone':
      return true;
    case 'creator':
      return facts.createdBy === me;
    case 'setterOrTarget':
      return facts.createdBy === me || facts.targetMemberId === me;
    case 'self':
      return facts.memberId === undefined || facts.memberId === me;
    case 'coordinator':
      return false;
  }
}

/** Refuses, in the actor's language, anyone the table does not allow. */
export function authorize(actor: Actor, action: GuardedAction, facts: Facts = {}): void {
  if (!mayRun(actor, action, facts)) throw new UserError('error.notAllowed', { who: phrase(who(action)) });
}

/** The rules in the order help lists them, each with the actions it governs. */
export function actionsByRule(): [Rule, GuardedAction[]][] {
  const order: Rule[] = ['anyone', 'creator', 'setterOrTarget', 'self', 'coordinator'];
  const actions = Object.keys(PERMISSIONS) as GuardedAction[];
  return order.map((rule) => [rule, actions.filter((action) => PERMISSIONS[action] === rule)]);
}
