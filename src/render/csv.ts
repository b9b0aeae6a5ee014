// Renders the alliance's tasks, polls, resources and members as CSV files for spreadsheets, headers in the reader's language. Pure.
import { t, type Locale, type MessageKey } from '../i18n/index.js';
import { fold } from '../time/dates.js';
import type { ResourceView } from '../resources.js';

export interface TaskExport {
  number: number;
  title: string;
  status: 'open' | 'done';
  /** `@name` or an organization's name; null when unassigned. */
  assignee: string | null;
  /** YYYY-MM-DD. */
  dueOn: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface PollExport {
  number: number;
  kind: 'choice' | 'proposal';
  question: string;
  status: 'open' | 'closed';
  anonymous: boolean;
  closesAt: Date | null;
  closedAt: Date | null;
  /** Members who voted. */
  voters: number;
  /** Votes are null while the poll hides its results (until it closes): the file then says so, never a count. */
  options: { position: number; label: string; votes: number | null }[];
}

export interface MemberExport {
  name: string;
  platform: string;
  workspace: string;
  role: 'coordinator' | 'member';
  organizations: string[];
  joinedAt: Date;
}

/** Quotes as RFC 4180 wants, and defuses cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Rows as CSV: RFC 4180 quoting, and every cell a spreadsheet would run as a formula defused, by the one neutralizer poll
 * exports use (csvCell). Empty cells for null.
 */
export function toCsv(rows: (string | number | null)[][]): string {
  return rows.map((row) => row.map((cell) => csvCell(cell === null ? '' : String(cell))).join(',')).join('\n') + '\n';
}

/** A member's name without the chat's `@`: a spreadsheet would take `@ana` for a formula, and the neutralizer would mark it. */
const plainName = (name: string | null) => (name === null ? null : name.replace(/^@/, ''));

const header = (locale: Locale, keys: MessageKey[]) => keys.map((key) => t(locale, key));
const instant = (at: Date | null) => (at ? at.toISOString() : null);

export function tasksCsv(tasks: TaskExport[], locale: Locale): string {
  return toCsv([
    header(locale, ['export.col.number', 'export.col.title', 'export.col.status', 'export.col.assignee', 'export.col.due', 'export.col.created', 'export.col.completed']),
    ...tasks.map((task) => [
      task.number,
      task.title,
      t(locale, task.status === 'done' ? 'export.status.done' : 'export.status.open'),
      plainName(task.assignee),
      task.dueOn,
      instant(task.createdAt),
      instant(task.completedAt),
    ]),
  ]);
}

/**
 * A row per option of every poll. Who chose what is never in it: an anonymous poll's ballots name nobody, and for the
 * others `poll export N` has the per-voter detail. While a poll hides its results, its votes say "hidden until it closes".
 */
export function pollsCsv(polls: PollExport[], locale: Locale): string {
  const hidden = t(locale, 'export.votes.hidden');
  return toCsv([
    header(locale, ['export.col.poll', 'export.col.kind', 'export.col.question', 'export.col.status', 'export.col.anonymous', 'export.col.closes', 'export.col.closed', 'export.col.voters', 'export.col.position', 'export.col.option', 'export.col.votes']),
    ...polls.flatMap((poll) =>
      poll.options.map((option) => [
        poll.number,
        t(locale, poll.kind === 'proposal' ? 'export.kind.proposal' : 'export.kind.poll'),
        poll.question,
        t(locale, poll.status === 'closed' ? 'export.status.closed' : 'export.status.open'),
        t(locale, poll.anonymous ? 'export.yes' : 'export.no'),
        instant(poll.closesAt),
        instant(poll.closedAt),
        poll.voters,
        option.position,
        option.label,
        option.votes ?? hidden,
      ]),
    ),
  ]);
}

export function resourcesCsv(resources: ResourceView[], locale: Locale): string {
  return toCsv([
    header(locale, ['export.col.number', 'export.col.title', 'export.col.url', 'export.col.tags', 'export.col.sharedBy', 'export.col.shared']),
    ...resources.map((resource) => [resource.number, resource.title, resource.url, resource.tags.join(' '), plainName(resource.sharedBy), instant(resource.createdAt)]),
  ]);
}

export function membersCsv(members: MemberExport[], locale: Locale): string {
  return toCsv([
    header(locale, ['export.col.name', 'export.col.platform', 'export.col.workspace', 'export.col.role', 'export.col.organizations', 'export.col.joined']),
    ...members.map((member) => [
      plainName(member.name),
      member.platform,
      member.workspace,
      t(locale, member.role === 'coordinator' ? 'export.role.coordinator' : 'export.role.member'),
      member.organizations.join('; '),
      instant(member.joinedAt),
    ]),
  ]);
}

/** `red-norte-tareas-2026-11-30.csv`: the alliance, what, and the day, so files from several exports never mix up. */
export function exportFileName(allianceName: string, what: string, today: string): string {
  const slug = fold(allianceName)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'minga'}-${what}-${today}.csv`;
}
