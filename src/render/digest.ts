// Renders a week (see digest-week.ts) as the digest a channel reads: a one-line summary, then a section per list, cut to size. Pure.
import type { DigestAssignee, DigestDecision, DigestFinished, DigestPoll, DigestReminder, DigestResource, DigestTask, DigestWeek, Listed } from '../digest-week.js';
import { t, type Locale, type MessageKey } from '../i18n/index.js';
import { channelLabel } from '../conversation.js';
import { EVERYWHERE } from '../everywhere.js';
import type { Reply, ReplySection } from '../reply.js';
import { addDays, formatDate } from '../time/dates.js';
import { formatMoment } from '../time/zones.js';
import { optionLabel } from './polls.js';
import { resourceLine } from './resources.js';

export interface DigestOptions {
  /** When a late digest was due (Minga was down): it says so. */
  lateFrom?: Date;
}

/** The most lines a section shows; the rest of its list is counted in `hidden`, for "…and N more". */
export const SECTION_LINES_MAX = 10;
/** The most names a line of newcomers shows; the rest are counted on the line. */
export const NAMES_MAX = 10;
/** How much of a reminder's text a digest quotes (it may be 1,000 characters); the reminder itself has it all. */
export const REMINDER_TEXT_MAX = 120;

/**
 * The digest: the heading, a summary line (and a late note), then non-empty sections in the order things need attention:
 * overdue, due soon, open polls, decisions, done, reminders, newcomers, resources shared. A week with nothing in it is one line.
 */
export function renderDigest(week: DigestWeek, locale: Locale, options: DigestOptions = {}): Reply {
  const date = formatDate(week.today, locale, week.today);
  const late = options.lateFrom ? [{ text: t(locale, 'digest.late', { when: formatMoment(options.lateFrom, locale, week.timeZone) }), role: 'note' as const }] : [];
  const summary = summaryParts(week, locale);
  if (summary.length === 0) return { visibility: 'public', locale, lines: [{ text: t(locale, 'digest.quiet', { date }) }, ...late] };
  const sections: ReplySection[] = [
    section(locale, 'digest.section.overdue', week.overdue, (task) => taskLine(task, week.today, locale, true)),
    section(locale, 'digest.section.dueSoon', week.dueSoon, (task) => taskLine(task, week.today, locale, false)),
    section(locale, 'digest.section.openPolls', week.openPolls, (poll) => pollLine(poll, week.timeZone, locale)),
    section(locale, 'digest.section.decisions', week.decisions, (decision) => decisionLine(decision, locale)),
    section(locale, 'digest.section.finished', week.finished, (task) => finishedLine(task, locale)),
    section(locale, 'digest.section.reminders', week.reminders, (reminder) => reminderLine(reminder, week.timeZone, locale)),
    newcomers(week, locale),
    section(locale, 'digest.section.resources', week.newResources ?? NONE, digestResourceLine),
  ].filter((part): part is ReplySection => part !== undefined);
  return {
    visibility: 'public',
    locale,
    heading: t(locale, 'digest.heading', { date }),
    lines: [{ text: summary.join(' · ') }, ...late],
    sections,
  };
}

type Counted = 'overdue' | 'dueSoon' | 'openPolls' | 'openProposals' | 'decisions' | 'finished' | 'reminders' | 'newMembers' | 'newOrganizations' | 'newResources';

/** A list with nothing in it, for weeks built without a list that came later (resources). */
const NONE: Listed<never> = { items: [], total: 0 };

/** "3 overdue", "1 decision": the count with its noun in the right number. */
function counted(locale: Locale, what: Counted, count: number): string {
  return t(locale, `digest.summary.${what}.${count === 1 ? 'one' : 'other'}` as MessageKey, { count });
}

/**
 * The summary's parts, only those that are not zero, in the sections' order: "3 overdue · 5 due this week · 1 open
 * proposal · 2 decisions". Open polls and proposals are counted apart.
 */
export function summaryParts(week: DigestWeek, locale: Locale): string[] {
  const proposals = week.openProposals ?? week.openPolls.items.filter((poll) => poll.kind === 'proposal').length;
  const parts: [Counted, number][] = [
    ['overdue', week.overdue.total],
    ['dueSoon', week.dueSoon.total],
    ['openPolls', week.openPolls.total - proposals],
    ['openProposals', proposals],
    ['decisions', week.decisions.total],
    ['finished', week.finished.total],
    ['reminders', week.reminders.total],
    ['newMembers', week.newMembers.total],
    ['newOrganizations', week.newOrganizations.total],
    ['newResources', week.newResources?.total ?? 0],
  ];
  return parts.filter(([, count]) => count > 0).map(([what, count]) => counted(locale, what, count));
}

/** A section of at most SECTION_LINES_MAX lines; `hidden` counts the whole rest of the list, gathered or not. */
function section<T>(locale: Locale, title: MessageKey, list: Listed<T>, line: (item: T) => string): ReplySection | undefined {
  if (list.total === 0 && list.items.length === 0) return undefined;
  const shown = list.items.slice(0, SECTION_LINES_MAX);
  const hidden = Math.max(list.total, list.items.length) - shown.length;
  return { title: t(locale, title), lines: shown.map((item) => ({ text: line(item) })), ...(hidden > 0 && { hidden }) };
}

function assigneeName(assignee: DigestAssignee, locale: Locale): string {
  return assignee ? assignee.name : t(locale, 'digest.task.unassigned');
}

/** "⚠ #4 Fix the website · was due Mon, Nov 23 · @ana"; "#5 Print flyers · due tomorrow · Red Norte". */
export function taskLine(task: DigestTask, today: string, locale: Locale, overdue: boolean): string {
  const params = { number: task.number, title: task.title, date: formatDate(task.dueOn, locale, today), assignee: assigneeName(task.assignee, locale) };
  if (overdue) return t(locale, 'digest.task.overdue', params);
  if (task.dueOn === today) return t(locale, 'digest.task.dueToday', params);
  if (task.dueOn === addDays(today, 1)) return t(locale, 'digest.task.dueTomorrow', params);
  return t(locale, 'digest.task.due', params);
}

/** "Proposal #5: We sign the letter · closes Fri, Dec 4, 18:00 · 7 of 12 voted · vote with `vote 5 <option>`". No counts, ever. */
export function pollLine(poll: DigestPoll, timeZone: string, locale: Locale): string {
  return [
    t(locale, poll.kind === 'proposal' ? 'proposal.heading' : 'poll.heading', { number: poll.number, question: poll.question }),
    poll.closesAt ? t(locale, 'digest.poll.closes', { when: formatMoment(poll.closesAt, locale, timeZone) }) : t(locale, 'digest.poll.noDeadline'),
    t(locale, 'digest.poll.turnout', { voters: poll.voters, eligible: poll.eligible }),
    ...(poll.hideResults ? [t(locale, 'digest.poll.hidden')] : []),
    t(locale, 'digest.poll.vote', { number: poll.number }),
  ].join(' · ');
}

/** "Poll #2: Where do we meet? → Lima (5 of 9 votes)"; "Proposal #4: … → blocked by @luis". */
export function decisionLine(decision: DigestDecision, locale: Locale): string {
  const heading = t(locale, decision.kind === 'proposal' ? 'proposal.heading' : 'poll.heading', { number: decision.number, question: decision.question });
  return `${heading} → ${outcome(decision, locale)}`;
}

/** The outcome as poll announcements decide it (see outcomeLines in render/polls.ts), in a few words. */
export function outcome(decision: DigestDecision, locale: Locale): string {
  if (decision.kind === 'proposal') {
    const votes = (code: string) => decision.outcome.find((option) => option.code === code)?.votes ?? 0;
    const blocks = votes('block');
    if (blocks > 0) {
      // Names only where the poll gave them: never for an anonymous proposal.
      return !decision.anonymous && decision.blockedBy.length > 0
        ? t(locale, 'digest.outcome.blockedBy', { names: decision.blockedBy.join(', ') })
        : t(locale, blocks === 1 ? 'digest.outcome.blocked.one' : 'digest.outcome.blocked.other', { count: blocks });
    }
    const tallies = { agree: votes('agree'), abstain: votes('abstain'), disagree: votes('disagree') };
    return t(locale, tallies.agree > tallies.disagree ? 'digest.outcome.agreed' : 'digest.outcome.notAgreed', tallies);
  }
  const top = Math.max(0, ...decision.outcome.map((option) => option.votes));
  if (decision.voters === 0 || top === 0) return t(locale, 'digest.outcome.none');
  const winners = decision.outcome.filter((option) => option.votes === top).map((option) => optionLabel(option, locale));
  return winners.length > 1
    ? t(locale, 'digest.outcome.tie', { labels: winners.join(' / ') })
    : t(locale, 'digest.outcome.winner', { label: winners[0]!, count: top, voters: decision.voters });
}

/** "Red Norte: #3 Print the banners (by @luis)"; a member's own task without the organization. */
export function finishedLine(task: DigestFinished, locale: Locale): string {
  const text = `#${task.number} ${task.title}${task.by ? ` ${t(locale, 'digest.finished.by', { name: task.by })}` : ''}`;
  return task.organization ? `${task.organization}: ${text}` : text;
}

/** "Tue, Dec 1, 09:00 · Red Norte: Send the monthly report"; a channel by its id, as conversations keep no names. */
export function reminderLine(reminder: DigestReminder, timeZone: string, locale: Locale): string {
  const target =
    reminder.target.kind === 'organization'
      ? reminder.target.name
      : reminder.target.conversation === EVERYWHERE
        ? t(locale, 'everywhere.digestTarget')
        : channelLabel(reminder.target.conversation);
  return t(locale, 'digest.reminder.line', { when: formatMoment(reminder.at, locale, timeZone), target, text: shorten(reminder.text, REMINDER_TEXT_MAX) });
}

/** The longest link a digest shows whole; a longer one shows as its site, and `resources` has it all. */
export const LINK_SHOWN_MAX = 120;

/** "#3 Guía de incidencia · https://… · #incidencia · @ana", as `resources` lists it, with a very long link shortened to its site. */
export function digestResourceLine(resource: DigestResource): string {
  return resourceLine({ ...resource, url: resource.url.length > LINK_SHOWN_MAX ? `${new URL(resource.url).origin}/…` : resource.url });
}

/** Organizations and members who joined, a line each with their names, the rest counted on the line. */
function newcomers(week: DigestWeek, locale: Locale): ReplySection | undefined {
  const line = (key: MessageKey, list: Listed<string>) => {
    if (list.total === 0 && list.items.length === 0) return [];
    const shown = list.items.slice(0, NAMES_MAX);
    const rest = Math.max(list.total, list.items.length) - shown.length;
    const names = rest > 0 ? t(locale, 'digest.new.andMore', { names: shown.join(', '), count: rest }) : shown.join(', ');
    return [{ text: t(locale, key, { names }) }];
  };
  const lines = [...line('digest.new.organizations', week.newOrganizations), ...line('digest.new.members', week.newMembers)];
  return lines.length ? { title: t(locale, 'digest.section.newcomers'), lines } : undefined;
}

function shorten(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}
