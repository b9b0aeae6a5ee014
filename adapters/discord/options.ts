// Turns a /minga invocation (subcommand path + typed options) into the core's Command, or the UserError a wrong combination deserves. Pure.
import type { Assignee, ChoiceRef, Command, HistoryAbout, MemberMention, PollSpec, ReminderTarget, TaskFilter } from '../../src/commands/command.js';
import { UserError } from '../../src/errors.js';
import { isLocale } from '../../src/i18n/index.js';
import { OPTION, POLL_OPTION_SLOTS, pollOptionName } from './commands.js';

/** Reads the options Discord sent, by their English names; discord.js's resolver in production, a plain object in tests. */
export interface OptionSource {
  string(name: string): string | undefined;
  integer(name: string): number | undefined;
  boolean(name: string): boolean | undefined;
  member(name: string): MemberMention | undefined;
  channel(name: string): { id: string; name?: string } | undefined;
}

export type Mapped = { command: Command } | { error: UserError };

const FILTERS: readonly TaskFilter[] = ['open', 'mine', 'overdue', 'all'];

export function commandFromOptions(group: string | null, subcommand: string, options: OptionSource): Mapped {
  try {
    const command = build(`${group ? `${group} ` : ''}${subcommand}`, options);
    return command ? { command } : { error: new UserError('error.unknownCommand', { input: `/minga ${group ?? ''} ${subcommand}`.replace(/\s+/g, ' ') }) };
  } catch (err) {
    if (err instanceof UserError) return { error: err };
    throw err;
  }
}

function build(path: string, options: OptionSource): Command | undefined {
  const taskNumber = () => ({ number: options.integer(OPTION.number) ?? 0 });
  const poll = () => ({ number: options.integer(OPTION.poll) ?? 0 });
  switch (path) {
    case 'help':
      return { kind: 'help' };
    case 'lang': {
      const language = options.string(OPTION.language);
      if (!isLocale(language)) return { kind: 'lang.show' };
      return { kind: 'lang.set', scope: options.string(OPTION.for) === 'alliance' ? 'alliance' : 'member', locale: language };
    }
    case 'task add': {
      const assignee = optionalAssignee(options);
      const dueOn = options.string(OPTION.due)?.trim();
      // The core checks the title and resolves the date word in the member's zone.
      return { kind: 'task.add', title: options.string(OPTION.title) ?? '', ...(assignee && { assignee }), ...(dueOn && { dueOn }) };
    }
    case 'task list': {
      const filter = options.string(OPTION.filter);
      return { kind: 'task.list', filter: FILTERS.find((known) => known === filter) ?? 'open' };
    }
    case 'task done':
      return { kind: 'task.done', task: taskNumber() };
    case 'task assign': {
      const assignee = optionalAssignee(options);
      if (!assignee) throw new UserError('error.assigneeMissing');
      return { kind: 'task.assign', task: taskNumber(), assignee };
    }
    case 'task reopen':
      return { kind: 'task.reopen', task: taskNumber() };
    case 'task delete':
      return { kind: 'task.delete', task: taskNumber() };
    case 'task reminders': {
      const state = options.string(OPTION.switch);
      return { kind: 'task.reminders', ...(state === 'on' && { enabled: true }), ...(state === 'off' && { enabled: false }) };
    }
    case 'org add':
      // The core checks slug and name, answering in the member's own language.
      return { kind: 'org.add', slug: options.string(OPTION.slug) ?? '', name: options.string(OPTION.orgName) ?? '' };
    case 'org list':
      return { kind: 'org.list' };
    case 'org join': {
      const member = options.member(OPTION.joiner);
      return { kind: 'org.join', slug: options.string(OPTION.slug) ?? '', ...(member && { member }) };
    }
    case 'poll create': {
      const given = Array.from({ length: POLL_OPTION_SLOTS }, (_, i) => options.string(pollOptionName(i + 1)));
      // The core checks the question, the 2 to 25 options, the maximum and the deadline, in the member's language.
      return {
        kind: 'poll.create',
        ...pollSettings(options, 'choice', options.string(OPTION.question)),
        options: given.filter((option): option is string => option !== undefined),
        maxChoices: options.integer(OPTION.multi) ?? 1,
      };
    }
    case 'poll proposal':
      return { kind: 'poll.create', ...pollSettings(options, 'proposal', options.string(OPTION.proposal)), options: [], maxChoices: 1 };
    case 'poll vote':
      return { kind: 'poll.vote', poll: poll(), choices: choicesOf(options.string(OPTION.choice) ?? '') };
    case 'poll close':
      return { kind: 'poll.close', poll: poll() };
    case 'poll results':
      return { kind: 'poll.results', poll: poll() };
    case 'poll list':
      return { kind: 'poll.list' };
    case 'poll export':
      return { kind: 'poll.export', poll: poll() };
    case 'poll remind':
      return { kind: 'poll.remind', poll: poll() };
    case 'poll delete':
      return { kind: 'poll.delete', poll: poll() };
    case 'remind set':
      // The core reads the time in the target's zone and checks the text.
      return { kind: 'reminder.create', target: remindTarget(options), when: options.string(OPTION.when) ?? '', text: options.string(OPTION.reminderText) ?? '' };
    case 'remind list':
      return { kind: 'reminder.list' };
    case 'remind cancel':
      return { kind: 'reminder.cancel', reminder: { number: options.integer(OPTION.reminder) ?? 0 } };
    case 'digest show':
      return { kind: 'digest.show' };
    case 'digest on': {
      // The core reads the schedule in the alliance's zone (Monday 09:00 when none is given).
      const when = options.string(OPTION.schedule)?.trim();
      const locale = options.string(OPTION.digestLanguage);
      return { kind: 'digest.on', ...(when && { when }), ...(isLocale(locale) && { locale }) };
    }
    case 'digest off':
      return { kind: 'digest.off' };
    case 'digest now':
      return { kind: 'digest.now' };
    case 'digest preview':
      return { kind: 'digest.preview' };
    case 'timezone': {
      const zone = options.string(OPTION.zone)?.trim();
      const scope = options.string(OPTION.zoneFor) === 'alliance' ? 'alliance' : 'member';
      if (!zone) return { kind: 'timezone.show' };
      // "auto" goes back to the default for oneself; for the alliance the core refuses it as no zone.
      return { kind: 'timezone.set', scope, zone: scope === 'member' && zone.toLowerCase() === 'auto' ? null : zone };
    }
    case 'alliance link':
      return { kind: 'alliance.link' };
    case 'alliance join':
      return { kind: 'alliance.join', code: options.string(OPTION.linkCode) ?? '' };
    case 'alliance unlink':
      return { kind: 'alliance.unlink' };
    case 'alliance channel': {
      // A channel picked here is resolved by Discord, so the core finds it among the interaction's vouched channels.
      const channel = options.channel(OPTION.homeChannel);
      return channel ? { kind: 'alliance.channel', channel: { id: channel.id, ...(channel.name && { name: channel.name }) } } : { kind: 'alliance.channel' };
    }
    // roles
    case 'alliance show':
      return { kind: 'alliance.show' };
    case 'alliance rename':
      return { kind: 'alliance.rename', name: options.string(OPTION.allianceName) ?? '' };
    case 'org leave': {
      const slug = options.string(OPTION.slug);
      const member = options.member(OPTION.leaver);
      return { kind: 'org.leave', ...(slug && { slug }), ...(member && { member }) };
    }
    case 'org show':
      return { kind: 'org.show', slug: options.string(OPTION.slug) ?? '' };
    case 'org rename':
      return { kind: 'org.rename', slug: options.string(OPTION.slug) ?? '', name: options.string(OPTION.orgName) ?? '' };
    case 'org remove':
      return { kind: 'org.remove', slug: options.string(OPTION.slug) ?? '' };
    case 'coordinator list':
      return { kind: 'coordinator.list' };
    case 'coordinator add':
    case 'coordinator remove': {
      const member = options.member(OPTION.member);
      if (!member) throw new UserError('error.memberMissing');
      return { kind: path === 'coordinator add' ? 'coordinator.add' : 'coordinator.remove', member };
    }
    case 'history':
      return { kind: 'history', ...historyAbout(options), page: options.integer(OPTION.page) ?? 1 };
    case 'resource share':
      // The core checks the link, the title and each tag.
      return { kind: 'resource.share', url: options.string(OPTION.url) ?? '', title: options.string(OPTION.resourceTitle) ?? '', tags: tagsOf(options.string(OPTION.tags)) };
    case 'resource search': {
      const words = (options.string(OPTION.query) ?? '').split(/\s+/).filter(Boolean);
      return { kind: 'resource.search', words: words.filter((word) => !word.startsWith('#')).join(' '), tags: tagsOf(words.filter((word) => word.startsWith('#')).join(' ')) };
    }
    case 'resource remove':
      return { kind: 'resource.remove', resource: { number: options.integer(OPTION.resource) ?? 0 } };
    case 'export': {
      const what = options.string(OPTION.exportWhat);
      return { kind: 'export', what: what === 'polls' || what === 'resources' || what === 'members' ? what : 'tasks' };
    }
    default:
      return undefined;
  }
}

/** What `history` is about: one of task, poll or org, or the whole alliance; two at once is a mistake worth saying. */
function historyAbout(options: OptionSource): { about?: HistoryAbout } {
  const task = options.integer(OPTION.historyTask);
  const poll = options.integer(OPTION.historyPoll);
  const org = options.string(OPTION.historyOrg);
  const about: HistoryAbout[] = [
    ...(task !== undefined ? [{ kind: 'task' as const, number: task }] : []),
    ...(poll !== undefined ? [{ kind: 'poll' as const, number: poll }] : []),
    ...(org ? [{ kind: 'org' as const, slug: org }] : []),
  ];
  if (about.length > 1) throw new UserError('discord.oneHistorySubject');
  return about[0] ? { about: about[0] } : {};
}

/** Tags as typed in one option: `#water #advocacy`, `water, advocacy`; the core checks each. */
function tagsOf(typed: string | undefined): string[] {
  return (typed ?? '').split(/[\s,]+/).filter((tag) => tag.replace(/^#/, '') !== '');
}

/** Whom a reminder is for: one of member, org, channel or here; none is oneself; two are a mistake worth saying. */
function remindTarget(options: OptionSource): ReminderTarget {
  const member = options.member(OPTION.remindMember);
  const org = options.string(OPTION.remindOrg);
  const channel = options.channel(OPTION.channel);
  const here = options.boolean(OPTION.here) === true;
  const everywhere = options.boolean(OPTION.everywhere) === true;
  const targets: ReminderTarget[] = [
    ...(member ? [{ kind: 'member' as const, member }] : []),
    ...(org ? [{ kind: 'organization' as const, slug: org }] : []),
    ...(channel ? [{ kind: 'channel' as const, channel }] : []),
    ...(here ? [{ kind: 'here' as const }] : []),
    ...(everywhere ? [{ kind: 'everywhere' as const }] : []),
  ];
  if (targets.length > 1) throw new UserError('everywhere.oneTarget');
  return targets[0] ?? { kind: 'me' };
}

function pollSettings(options: OptionSource, pollKind: PollSpec['pollKind'], question: string | undefined) {
  const closes = options.string(OPTION.closes)?.trim();
  return {
    pollKind,
    question: question ?? '',
    anonymous: options.boolean(OPTION.anonymous) ?? false,
    hideResults: options.boolean(OPTION.hideResults) ?? false,
    ...(closes && { closes }),
    ...(options.boolean(OPTION.everywhere) === true && { everywhere: true }),
  };
}

/** As in `vote 3 1 4`: numbers choose options by position (an autocomplete pick sends one), anything else is one option's label. */
function choicesOf(typed: string): ChoiceRef[] {
  const text = typed.trim();
  if (!text) throw new UserError('error.voteChoiceMissing');
  const words = text.split(/[\s,]+/);
  if (words.every((word) => /^#?\d{1,2}$/.test(word))) return words.map((word) => ({ position: Number(word.replace('#', '')) }));
  return [{ label: text }];
}

/** A member or an organization, or nobody; both at once is a mistake worth saying. */
function optionalAssignee(options: OptionSource): Assignee | undefined {
  const member = options.member(OPTION.assignee);
  const org = options.string(OPTION.org);
  // A name from the linked members' suggestions, resolved by the core as a typed `@name` is.
  const linked = options.string(OPTION.linked)?.trim().replace(/^@/, '');
  if ([member, org, linked].filter(Boolean).length > 1) throw new UserError('discord.oneAssignee');
  if (member) return { kind: 'member', member };
  if (org) return { kind: 'organization', slug: org };
  if (linked) return { kind: 'member', member: { userId: linked, name: linked } };
  return undefined;
}
