// Input rules shared by the text parser and by adapters that send structured commands (modals, Discord options).
import { UserError } from '../errors.js';
import { parseDateWord } from '../time/dates.js';

export const TITLE_MAX = 200;
export const ORG_NAME_MAX = 100;

/** A task title, trimmed; empty or over 200 characters is the user's error. */
export function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw new UserError('error.titleMissing');
  const length = [...trimmed].length;
  if (length > TITLE_MAX) throw new UserError('error.titleTooLong', { length, max: TITLE_MAX });
  return trimmed;
}

/** A due date from a date word or ISO date, relative to `today`; past dates and non-dates are the user's error. */
export function checkDueDate(input: string, today: string): string {
  const date = parseDateWord(input.trim(), today);
  if (!date) throw new UserError('error.dateInvalid', { input });
  if (date < today) throw new UserError('error.datePast', { date });
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
  const name = input.trim();
  if (!name) throw new UserError('error.orgNameMissing');
  const length = [...name].length;
  if (length > ORG_NAME_MAX) throw new UserError('error.orgNameTooLong', { length, max: ORG_NAME_MAX });
  return name;
}
