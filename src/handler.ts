// The core's front door: a command (as text, typed, or a button click) from someone on some platform → a reply in their language.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alliances, members } from '../db/schema.js';
import type { Command } from './commands/command.js';
import { parseCommand } from './commands/parse.js';
import { checkDueDate, checkTitle } from './commands/rules.js';
import { isUserError, newErrorRef } from './errors.js';
import { allianceLocale, localeFromPlatform, t, type Locale } from './i18n/index.js';
import { resolveActor, type Actor, type Defaults, type Requester } from './identity.js';
import type { Logger } from './log.js';
import { addOrganization, joinOrganization, listOrganizations, requireCoordinator } from './organizations.js';
import { renderHelp, renderInternalError, renderLanguage, renderOrganizations, renderUserError } from './render/general.js';
import { renderTaskChange, renderTaskForm, renderTaskList } from './render/tasks.js';
import type { ButtonAction, Reply } from './reply.js';
import { addTask, assignTask, completeTask, deleteTask, listTasks, reopenTask, suggestTasks, type TaskSuggestion } from './tasks.js';
import { todayIn } from './time/dates.js';

export interface CoreDeps {
  db: Db;
  defaults: Defaults;
  log: Logger;
  /** The clock, replaceable in tests. */
  now?: () => Date;
}

export interface Core {
  /** A line as a person typed it, in either language. */
  handleText(text: string, requester: Requester): Promise<Reply>;
  /** A command an adapter built from structured input (a modal, Discord options). */
  handleCommand(command: Command, requester: Requester): Promise<Reply>;
  /** A button click as it came off the wire: `action` should be one of ours, `value` an id from our own reply; both are checked here. */
  handleAction(action: string, value: string, requester: Requester): Promise<Reply>;
  /** Open tasks matching what a person has typed so far (a number or part of a title), for autocomplete. */
  suggestTasks(requester: Requester, typed: string): Promise<TaskSuggestion[]>;
}

/** Builds the command a button stands for; anything unknown or forged becomes a task that does not exist. */
const buttonCommands: Record<ButtonAction, (id: number) => Command> = {
  'task.done': (id) => ({ kind: 'task.done', task: { id } }),
  'task.reopen': (id) => ({ kind: 'task.reopen', task: { id } }),
};

function buttonCommand(action: string, value: string): Command {
  const id = /^\d{1,9}$/.test(value) ? Number(value) : 0;
  const build = Object.hasOwn(buttonCommands, action) ? buttonCommands[action as ButtonAction] : undefined;
  return build ? build(id) : { kind: 'task.done', task: { id: 0 } };
}

type Input = { text: string } | { command: Command };

export function createCore(deps: CoreDeps): Core {
  const now = deps.now ?? (() => new Date());

  /** Runs one command in one transaction: a user's mistake or a failure rolls everything back, so nothing is half-written. */
  async function run(input: Input, requester: Requester): Promise<Reply> {
    let locale: Locale = localeFromPlatform(requester.platformLocale) ?? deps.defaults.locale;
    try {
      return await deps.db.transaction(async (tx) => {
        const actor = await resolveActor(tx, requester, deps.defaults);
        locale = actor.locale;
        const today = todayIn(actor.timeZone, now());
        const command = 'command' in input ? input.command : parsed(input.text, today);
        return execute(tx, actor, command, today, deps.defaults);
      });
    } catch (err) {
      if (isUserError(err)) return renderUserError(locale, err);
      const ref = newErrorRef();
      deps.log.error(
        { ref, err, platform: requester.platform, workspace: requester.workspaceId, command: commandKind(input) },
        'command failed',
      );
      return renderInternalError(locale, ref);
    }
  }

  return {
    handleText: (text, requester) => run({ text }, requester),
    handleCommand: (command, requester) => run({ command }, requester),
    handleAction: (action, value, requester) => run({ command: buttonCommand(action, value) }, requester),
    suggestTasks: async (requester, typed) => {
      try {
        return await deps.db.transaction(async (tx) => suggestTasks(tx, await resolveActor(tx, requester, deps.defaults), typed));
      } catch (err) {
        // Autocomplete is a nicety: on failure, log and offer nothing rather than an error.
        deps.log.error({ ref: newErrorRef(), err, platform: requester.platform }, 'task suggestions failed');
        return [];
      }
    },
  };
}

function parsed(text: string, today: string): Command {
  const result = parseCommand(text, { today });
  if (!result.ok) throw result.error;
  return result.command;
}

function commandKind(input: Input): string {
  return 'command' in input ? input.command.kind : 'text';
}

async function execute(tx: Db, actor: Actor, command: Command, today: string, defaults: Defaults): Promise<Reply> {
  const { locale } = actor;
  switch (command.kind) {
    case 'help':
      return renderHelp(locale);
    case 'lang.show':
      return renderLanguage(locale, allianceLocale(actor.alliance, defaults.locale));
    case 'lang.set':
      return setLanguage(tx, actor, command.scope, command.locale);
    case 'task.form':
      return renderTaskForm(locale);
    case 'task.add': {
      const task = await addTask(tx, actor, {
        title: checkTitle(command.title),
        ...(command.assignee && { assignee: command.assignee }),
        ...(command.dueOn && { dueOn: checkDueDate(command.dueOn, today) }),
      });
      return renderTaskChange('added', task, locale, today);
    }
    case 'task.list':
      return renderTaskList(command.filter, await listTasks(tx, actor, command.filter, today), locale, today);
    case 'task.done':
      return renderTaskChange('completed', await completeTask(tx, actor, command.task), locale, today);
    case 'task.reopen':
      return renderTaskChange('reopened', await reopenTask(tx, actor, command.task), locale, today);
    case 'task.assign':
      return renderTaskChange('assigned', await assignTask(tx, actor, command.task, command.assignee), locale, today);
    case 'task.delete':
      return renderTaskChange('deleted', await deleteTask(tx, actor, command.task), locale, today);
    case 'org.add': {
      const organization = await addOrganization(tx, actor, command.slug, command.name);
      return { visibility: 'public', locale, lines: [{ text: t(locale, 'org.added', { name: organization.name, slug: organization.slug }) }] };
    }
    case 'org.list':
      return renderOrganizations(locale, await listOrganizations(tx, actor));
    case 'org.join': {
      const joined = await joinOrganization(tx, actor, command.slug, command.member);
      return { visibility: 'public', locale, lines: [{ text: t(locale, 'org.joined', { member: joined.memberName, name: joined.organization.name }) }] };
    }
  }
}

async function setLanguage(tx: Db, actor: Actor, scope: 'member' | 'alliance', locale: Locale): Promise<Reply> {
  if (scope === 'alliance') {
    requireCoordinator(actor);
    await tx.update(alliances).set({ locale }).where(eq(alliances.id, actor.alliance.id));
    return { visibility: 'public', locale, lines: [{ text: t(locale, 'lang.setAlliance') }] };
  }
  await tx.update(members).set({ locale }).where(eq(members.id, actor.member.id));
  return { visibility: 'ephemeral', locale, lines: [{ text: t(locale, 'lang.setMember') }] };
}
