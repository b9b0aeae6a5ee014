// Input rules shared by the text parser and by adapters that send structured commands (modals, Discord options).
import { UserError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { todayIn } from '../time/dates.js';
import { readWhen, timeNotUnderstood, type ReadContext } from '../time/read.js';

export const TITLE_MAX = 200;
export const ORG_NAME_MAX = 100;

/**
 * A name or title as typed, trimmed: empty is the user's error `missing`, longer than `max` characters (as people count
 * them, not UTF-16 units) the user's error `tooLong`. Every such rule (task titles, names of organizations, of the
 * alliance, resource titles) is this one.
 */
export function checkLength(input: string, max: number, missing: MessageKey, tooLong: MessageKey): string {
  const trimmed = input.trim();
  if (!trimmed) throw new UserError(missing);
  const length = [...trimmed].length;
  if (length > max) throw new UserError(tooLong, { length, max });
  return trimmed;
}

/** A task title, trimmed; empty or over 200 characters is the user's error. */
export function checkTitle(title: string): string {
  return checkLength(title, TITLE_MAX, 'error.titleMissing', 'error.titleTooLong');
}

/** Who a due date is read for: the member's clock, zone and language. */
export type DueContext = Pick<ReadContext, 'now' | 'timeZone' | 'locale'>;

/**
 * The day a due date names (YYYY-MM-DD), read by the one time reader; undefined when the text names no day. A day is
 * due until its end, so a weekday said on that day is today ("by friday" on a Friday afternoon); a moment
 * ("friday 15:00", "in 2 hours") gives its day, as a task is due on a day, not at a time.
 */
export function readDueDate(input: string, context: DueContext): string | undefined {
  const when = readWhen(input, { ...context, defaultTime: '23:59' });
  return when.ok && when.kind !== 'recurring' ? when.date : undefined;
}

/** A due date in words or as an ISO date; a day in the past and text that names no day are the user's error. */
export function checkDueDate(input: string, context: DueContext): string {
  const date = readDueDate(input, context);
  if (!date) throw timeNotUnderstood(input, 'day');
  return checkNotPast(date, context);
}

/** A due day (YYYY-MM-DD) that is today or later in the member's zone; an earlier one is the user's error. */
export function checkNotPast(date: string, context: DueContext): string {
  if (date < todayIn(context.timeZone, context.now)) throw new UserError('error.datePast', { date });
  return date;
}

/** An organization's short name as typed (`red-huertas`, `org:Red-Huertas`), lowercased; anything else is the user's error. */
export function checkOrgSlug(input: string): string {
  const slug = input.trim().replace(/^org:/i, '').toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{1,31}$/.test(slug)) throw new UserError('error.orgSlugInvalid', { input });
  return slug;
}

/** An organization's name: present and at most 100 characters. */
export function checkOrgName(input: string): string {
  return checkLength(input, ORG_NAME_MAX, 'error.orgNameMissing', 'error.orgNameTooLong');
}
