// Recurring times ("every monday 9:00", "el primer día de cada mes"): a small typed rule, and its next occurrence in a zone.
import { addDays, weekdayOf } from './dates.js';
import { wallClock, zonedTime } from './zones.js';

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A time of day on the wall clock. */
export interface Clock {
  hour: number;
  minute: number;
}

/**
 * How a time repeats; plain data, so it can be stored as JSON beside its time zone.
 * - daily: every day.
 * - weekly: on the given days (sorted, no repeats); Monday to Friday is "every weekday".
 * - monthly: on day 1–31 of each month; a month without that day uses its last day ("the 31st" in April is the 30th).
 * - monthlyWeekday: the nth (1–4) or last such weekday of each month ("the first monday").
 */
export type Recurrence =
  | { kind: 'daily'; time: Clock }
  | { kind: 'weekly'; days: Weekday[]; time: Clock }
  | { kind: 'monthly'; day: number | 'last'; time: Clock }
  | { kind: 'monthlyWeekday'; nth: 1 | 2 | 3 | 4 | 'last'; weekday: Weekday; time: Clock };

export const WORKDAYS: Weekday[] = [1, 2, 3, 4, 5];

/**
 * The first occurrence strictly after `after`, on the wall clock of `timeZone`: 09:00 stays 09:00 local across a
 * daylight-saving change. A time the change skips is moved forward by the gap; a time it repeats is its first reading.
 */
export function nextOccurrence(rule: Recurrence, after: Date, timeZone: string): Date {
  const start = wallClock(after, timeZone).date;
  // Every rule matches at least once in any 62 days (a month and its neighbour); the bound only guards a broken rule.
  for (let offset = 0; offset < 400; offset++) {
    const date = addDays(start, offset);
    if (!matches(rule, date)) continue;
    const at = zonedTime(date, rule.time.hour, rule.time.minute, timeZone);
    if (at > after) return at;
  }
  throw new Error(`recurrence never occurs: ${JSON.stringify(rule)}`);
}

function matches(rule: Recurrence, date: string): boolean {
  const weekday = weekdayOf(date);
  const day = Number(date.slice(8, 10));
  const length = daysInMonth(date);
  switch (rule.kind) {
    case 'daily':
      return true;
    case 'weekly':
      return rule.days.includes(weekday as Weekday);
    case 'monthly':
      return day === (rule.day === 'last' ? length : Math.min(rule.day, length));
    case 'monthlyWeekday':
      if (weekday !== rule.weekday) return false;
      return rule.nth === 'last' ? day + 7 > length : Math.ceil(day / 7) === rule.nth;
  }
}

/** Days in the month of an ISO date. */
export function daysInMonth(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
