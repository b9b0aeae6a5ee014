// The core's front door: a command (as text, typed, or a button click) from someone on some platform → a reply in their language.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alliances, members } from '../db/schema.js';
import type { Command, CommandContext } from './commands/command.js';

export type { CommandContext };
import { parseCommand, type ParseContext } from './commands/parse.js';
import { checkDueDate, checkOrgName, checkOrgSlug, checkTitle } from './commands/rules.js';
import { isDatabaseUnavailable, isUserError, newErrorRef } from './errors.js';
import { allianceLocale, localeFromPlatform, t, type Locale } from './i18n/index.js';
import { recallActor, resolveActor, suggestMembers, type Actor, type Defaults, type MemberSuggestion, type Requester } from './identity.js';
import type { Logger } from './log.js';
import { addOrganization, joinOrganization, listOrganizations } from './organizations.js';
import { renderHelp, renderInternalError, renderLanguage, renderOrganizations, renderUnavailable, renderUserError } from './render/general.js';
import { renderTaskChange, renderTaskForm, renderTaskList } from './render/tasks.js';
import { textReply, type ButtonAction, type Reply, type ReplyForm } from './reply.js';
import { formCommand, type FormValues } from './forms.js';
import { addTask, assignTask, completeTask, deleteTask, listTasks, reopenTask, suggestTasks, type TaskSuggestion, type TaskView } from './tasks.js';
import { todayIn } from './time/dates.js';
import { switchTaskReminders, syncOrganizationTaskReminders } from './task-reminders.js';
import { executePoll } from './poll-commands.js';
import { executeReminder } from './reminder-commands.js';
import { executeTimeZone } from './zone-commands.js';
import { executeDigest } from './digest-commands.js';
import { executeLink } from './link-commands.js';
import { executeResource } from './resource-commands.js';
import { executeExport } from './export-commands.js';
import { suggestPolls, type PollSuggestion } from './polls.js';
import { optionLabel } from './render/polls.js';
import { receiptClock } from './acted.js';
import { cleanStrings, cleanText } from './user-text.js';
import { secondsSince, unobserved, type CommandOutcome, type Observer } from './observe.js';
import { executeAlliance } from './alliance-commands.js';
import { executeOrg } from './org-commands.js';
import { executeCoordinator } from './coordinator-commands.js';
import { executeHistory } from './history-commands.js';
import { authorize } from './permissions.js';
import { recordAlliance, recordOrganization, recordTask } from './record.js';

export interface CoreDeps {
  db: Db;
  defaults: Defaults;
  log: Logger;
  /** The clock, replaceable in tests. */
  now?: () => Date;
  /**
   * Runs the scheduled jobs with these keys at once (what a command queued: a poll to post), so they go out before the reply
   * without waiting for the next tick; bounded by the scheduler's kick timeout, never a whole tick.
   */
  kick?: (keys: string[]) => Promise<unknown>;
  /** The deployment secret (see secrets.ts); anonymous polls are refused without it. */
  secret?: string;
  /** Whether Minga can post in a conversation (see Adapter.canPost). */
  canPost?: (conversation: string) => Promise<boolean | undefined>;
  /** Told of every command's kind, outcome and duration (for /metrics); nothing is counted when unset. */
  observer?: Observer;
}

export interface Core {
  /** A line as a person typed it, in either language. */
  handleText(text: string, requester: Requester): Promise<Reply>;
  /** A command an adapter built from structured input (a modal, Discord options). */
  handleCommand(command: Command, requester: Requester): Promise<Reply>;
  /** A button click as it came off the wire: `action` should be one of ours, `value` an id from our own reply; both are checked here. */
  handleAction(action: string, value: string, requester: Requester): Promise<Reply>;
  /** A submitted form (a Slack modal) by the id of the `Reply.form` that opened it. */
  handleForm(formId: ReplyForm['id'], values: FormValues, requester: Requester): Promise<Reply>;
  /** Open tasks matching what a person has typed so far (a number or part of a title), for autocomplete. */
  suggestTasks(requester: Requester, typed: string): Promise<TaskSuggestion[]>;
  /** Open polls matching what a person has typed so far (a number or part of the question), with their options, for autocomplete. */
  suggestPolls(requester: Requester, typed: string): Promise<PollSuggestion[]>;
  /** Members of every workspace linked to the alliance whose name holds what was typed, for autocomplete. */
  suggestMembers(requester: Requester, typed: string): Promise<MemberSuggestion[]>;
}

const id = (text: string | undefined) => (text && /^\d{1,9}$/.test(text) ? Number(text) : 0);

/** Builds the command a button stands for from ids only; anything unknown or forged names a thing that does not exist. */
const buttonCommands: Record<ButtonAction, (value: string) => Command> = {
  'task.done': (value) => ({ kind: 'task.done', task: { id: id(value) } }),
  'task.reopen': (value) => ({ kind: 'task.reopen', task: { id: id(value) } }),
  'poll.vote': (value) => {
    const [poll, position] = value.split('-');
    return { kind: 'poll.vote', poll: { id: id(poll) }, choices: [{ position: id(position) }], toggle: true };
  },
};

function buttonCommand(action: string, value: string): Command {
  const build = Object.hasOwn(buttonCommands, action) ? buttonCommands[action as ButtonAction] : undefined;
  return build ? build(value) : { kind: 'task.done', task: { id: 0 } };
}

/** A typed line, a ready command, or one built inside the transaction so its user errors are answered like any other. */
type Input = { text: string } | { command: Command } | { build: () => Command };

export function createCore(deps: CoreDeps): Core {
  const now = deps.now ?? (() => new Date());
  const received = receiptClock(now);
  const observer = deps.observer ?? unobserved;

  /** Runs a command and tells the observer how it went and how long it took, from the core's door to its answer. */
  async function run(input: Input, given: Requester): Promise<Reply> {
    const started = performance.now();
    const seen: { kind: string; outcome: CommandOutcome } = { kind: commandKind(input), outcome: 'ok' };
    try {
      return await runCommand(input, given, seen);
    } finally {
      observer.command(seen.kind, seen.outcome, secondsSince(started));
    }
  }

  /**
   * Runs one command in one transaction: a user's mistake or a failure rolls everything back, so nothing is half-written.
   * Whatever people and platforms wrote is cleaned first (see user-text.ts), on every path: typed, built, or from a form.
   */
  async function runCommand(input: Input, given: Requester, seen: { kind: string; outcome: CommandOutcome }): Promise<Reply> {
    const requester = cleanStrings(given);
    // Taken before anything waits, so requests that then race each other still order by when they came in.
    const actedAt = requester.actedAt ?? received();
    let locale: Locale = localeFromPlatform(requester.platformLocale) ?? deps.defaults.locale;
    try {
      let context: CommandContext | undefined;
      /** The command, read once the actor is known (their language and zone read dates), with the moment it runs at. */
      const read = (actor: Actor) => {
        locale = actor.locale;
        const at = now();
        const reading = { now: at, timeZone: actor.timeZone, locale: actor.locale };
        const command = cleanStrings('command' in input ? input.command : 'build' in input ? input.build() : parsed(cleanText(input.text), reading));
        seen.kind = command.kind;
        return { actor, at, today: todayIn(actor.timeZone, at), command };
      };
      /** What the command runs with: in the transaction `tx`, or on the database itself (see NO_TRANSACTION). */
      const contextFor = (tx: Db, inTransaction: boolean, { actor, at, today }: ReturnType<typeof read>): CommandContext =>
        (context = {
          tx, inTransaction, actor, today, now: at, actedAt, defaults: deps.defaults,
          ...(deps.secret && { secret: deps.secret }),
          ...(deps.canPost && { canPost: deps.canPost }),
        });
      const recalled = await recallActor(deps.db, requester, deps.defaults);
      // A known member's command is read once, here; one that needs no transaction runs at once (two round trips fewer).
      const known = recalled.actor && read(recalled.actor);
      // Everything else runs in one transaction; for a known member resolveActor would hand back the same actor.
      const reply =
        known && NO_TRANSACTION.has(known.command.kind)
          ? await execute(contextFor(deps.db, false, known), known.command)
          : await deps.db.transaction(async (tx) => {
              const ready = known ?? read(await resolveActor(tx, requester, deps.defaults, recalled));
              return execute(contextFor(tx, true, ready), ready.command);
            });
      const queued = context?.deliverNow;
      if (queued?.length && deps.kick) {
        await deps.kick(queued).catch((err) => deps.log.error({ err }, 'delivery after a command failed'));
      }
      return (await context?.afterDelivery?.(deps.db)) ?? reply;
    } catch (err) {
      if (isUserError(err)) {
        seen.outcome = 'user_error';
        return renderUserError(locale, err);
      }
      seen.outcome = 'internal_error';
      const ref = newErrorRef();
      if (isDatabaseUnavailable(err)) {
        // Not a bug: the database is restarting or out of reach, and the pool reconnects by itself. A warning, not a stack
        // per command; the member hears to try again, not an apology with a reference to report.
        deps.log.warn(
          { ref, code: errorCode(err), platform: requester.platform, workspace: requester.workspaceId, command: commandKind(input) },
          'command failed: database unavailable',
        );
        return renderUnavailable(locale);
      }
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
    handleForm: (formId, values, requester) => run({ build: () => formCommand(formId, values) }, requester),
    suggestTasks: (requester, typed) => suggest('task', requester, (tx, actor) => suggestTasks(tx, actor, cleanText(typed))),
    suggestPolls: (requester, typed) =>
      suggest('poll', requester, (tx, actor) => suggestPolls(tx, actor, cleanText(typed), (option) => optionLabel(option, actor.locale))),
    suggestMembers: (requester, typed) => suggest('member', requester, (tx, actor) => suggestMembers(tx, actor, cleanText(typed))),
  };

  async function suggest<T>(what: string, requester: Requester, find: (tx: Db, actor: Actor) => Promise<T[]>): Promise<T[]> {
    try {
      const cleaned = cleanStrings(requester);
      // A known member's suggestions are one read: no transaction, as for the reads in NO_TRANSACTION.
      const recalled = await recallActor(deps.db, cleaned, deps.defaults);
      if (recalled.actor) return await find(deps.db, recalled.actor);
      return await deps.db.transaction(async (tx) => find(tx, await resolveActor(tx, cleaned, deps.defaults, recalled)));
    } catch (err) {
      // Autocomplete is a nicety: on failure, log and offer nothing rather than an error.
      deps.log.error({ ref: newErrorRef(), err, platform: requester.platform }, `${what} suggestions failed`);
      return [];
    }
  }
}

function parsed(text: string, context: ParseContext): Command {
  const result = parseCommand(text, context);
  if (!result.ok) throw result.error;
  return result.command;
}

/** The driver's or the socket's code of a failure (drizzle wraps it as the cause), for the log line. */
function errorCode(err: unknown): string | undefined {
  for (let cause = err, depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function commandKind(input: Input): string {
  return 'command' in input ? input.command.kind : 'build' in input ? 'form' : 'text';
}

/**
 * Commands run outside a transaction when the member is known, as a transaction would add nothing: those whose whole work
 * is one statement that only reads (or none), and a vote, whose ballot is written in one statement that checks what it
 * read before under a lock (or, for a toggle, in a transaction of its own: see castBallot). Anything else that writes, or
 * reads twice and must see one moment, is not here.
 */
const NO_TRANSACTION: ReadonlySet<Command['kind']> = new Set(['help', 'lang.show', 'task.list', 'timezone.show', 'task.form', 'history', 'coordinator.list', 'poll.vote']);

async function execute(context: CommandContext, command: Command): Promise<Reply> {
  const { tx, actor, today, now, defaults } = context;
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
        // Typed lines carry the day already read; forms and Discord options carry the words, read here alike.
        ...(command.dueOn && { dueOn: checkDueDate(command.dueOn, { now, timeZone: actor.timeZone, locale }) }),
      }, now);
      return renderTaskChange('added', await recorded(context, 'history.task.added', task), locale, today);
    }
    case 'task.list':
      return renderTaskList(command.filter, await listTasks(tx, actor, command.filter, today), locale, today);
    case 'task.done':
      return renderTaskChange('completed', await recorded(context, 'history.task.completed', await completeTask(tx, actor, command.task, now)), locale, today);
    case 'task.reopen':
      return renderTaskChange('reopened', await recorded(context, 'history.task.reopened', await reopenTask(tx, actor, command.task, now)), locale, today);
    case 'task.assign':
      return renderTaskChange('assigned', await recorded(context, 'history.task.assigned', await assignTask(tx, actor, command.task, command.assignee, now)), locale, today);
    case 'task.delete':
      return renderTaskChange('deleted', await recorded(context, 'history.task.deleted', await deleteTask(tx, actor, command.task)), locale, today);
    case 'task.reminders':
      if (command.enabled === undefined) return textReply(locale, t(locale, actor.alliance.taskReminders ? 'task.reminders.isOn' : 'task.reminders.isOff'));
      await switchTaskReminders(tx, actor, command.enabled, now);
      await recordAlliance(tx, actor, command.enabled ? 'history.taskReminders.on' : 'history.taskReminders.off');
      return textReply(locale, t(locale, command.enabled ? 'task.reminders.on' : 'task.reminders.off'), 'public');
    case 'org.add': {
      // Structured commands (Discord options, forms) skip the text parser, so its rules apply here too.
      const organization = await addOrganization(tx, actor, checkOrgSlug(command.slug), checkOrgName(command.name));
      await recordOrganization(tx, actor, 'history.org.added', organization);
      return textReply(locale, t(locale, 'org.added', { name: organization.name, slug: organization.slug }), 'public');
    }
    case 'org.list':
      return renderOrganizations(locale, await listOrganizations(tx, actor));
    case 'org.join': {
      const joined = await joinOrganization(tx, actor, checkOrgSlug(command.slug), command.member);
      // A new member of an organization hears about its tasks' due dates too.
      await syncOrganizationTaskReminders(tx, joined.organization.id, now);
      const self = joined.memberId === actor.member.id;
      await recordOrganization(tx, actor, self ? 'history.org.joinedSelf' : 'history.org.joined', joined.organization, self ? {} : { member: joined.memberName });
      return textReply(locale, t(locale, 'org.joined', { member: joined.memberName, name: joined.organization.name }), 'public');
    }
    case 'poll.form':
    case 'poll.create':
    case 'poll.vote':
    case 'poll.close':
    case 'poll.results':
    case 'poll.list':
    case 'poll.export':
    case 'poll.remind':
    case 'poll.delete':
      return executePoll(context, command);
    case 'reminder.create':
    case 'reminder.list':
    case 'reminder.cancel':
      return executeReminder(context, command);
    case 'timezone.show':
    case 'timezone.set':
      return executeTimeZone(context, command);
    case 'digest.show':
    case 'digest.on':
    case 'digest.off':
    case 'digest.now':
    case 'digest.preview':
      return executeDigest(context, command);
    case 'alliance.link':
    case 'alliance.join':
    case 'alliance.unlink':
    case 'alliance.channel':
      return executeLink(context, command);
    case 'alliance.show':
    case 'alliance.rename':
      return executeAlliance(context, command);
    case 'org.leave':
    case 'org.show':
    case 'org.rename':
    case 'org.remove':
      return executeOrg(context, command);
    case 'coordinator.list':
    case 'coordinator.add':
    case 'coordinator.remove':
      return executeCoordinator(context, command);
    case 'history':
      return executeHistory(context, command);
    case 'resource.share':
    case 'resource.search':
    case 'resource.remove':
      return executeResource(context, command);
    case 'export':
      return executeExport(context, command);
  }
}

/** Records a task's change in the history and hands the task on. */
async function recorded(context: CommandContext, action: Parameters<typeof recordTask>[2], task: TaskView): Promise<TaskView> {
  await recordTask(context.tx, context.actor, action, task);
  return task;
}

async function setLanguage(tx: Db, actor: Actor, scope: 'member' | 'alliance', locale: Locale): Promise<Reply> {
  if (scope === 'alliance') {
    authorize(actor, 'alliance.language');
    await tx.update(alliances).set({ locale }).where(eq(alliances.id, actor.alliance.id));
    await recordAlliance(tx, actor, 'history.alliance.language', { languageKey: `language.${locale}` });
    return textReply(locale, t(locale, 'lang.setAlliance'), 'public');
  }
  await tx.update(members).set({ locale }).where(eq(members.id, actor.member.id));
  return textReply(locale, t(locale, 'lang.setMember'));
}
