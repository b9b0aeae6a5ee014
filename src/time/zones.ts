// Wall clocks in IANA time zones: the instant a local date and time names (daylight saving included), and back.
import { formatter } from './dates.js';

/** What a wall clock in some zone shows: a date (YYYY-MM-DD) and a time. */
export interface WallClock {
  date: string;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `timeZone` at an instant. */
export function wallClock(at: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at)) {
    parts[part.type] = Number(part.value);
  }
  const date = `${String(parts.year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
  return { date, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** Minutes the zone is ahead of UTC at that instant (Lima: -300). */
export function offsetMinutes(timeZone: string, at: Date): number {
  const wall = wallClock(at, timeZone);
  const [year, month, day] = wall.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, wall.hour, wall.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant when the wall clock in `timeZone` shows `isoDate hour:minute`.
 * Around a daylight-saving change: a time that happens twice (clocks go back) is its first occurrence; a time
 * that never happens (clocks go forward) is moved forward by the gap, so 02:30 on Madrid's spring day is 03:30.
 */
export function zonedTime(isoDate: string, hour: number, minute: number, timeZone: string): Date {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets in force a day either side: zones change at most once in such a span.
  const before = offsetMinutes(timeZone, new Date(wall - 86_400_000));
  const after = offsetMinutes(timeZone, new Date(wall + 86_400_000));
  const readings = [before, after]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => offsetMinutes(timeZone, new Date(instant)) * 60_000 === wall - instant)
    .sort((a, b) => a - b);
  return new Date(readings[0] ?? wall - before * 60_000);
}

/** A moment as a person reads it in their zone and language: "Fri, Nov 27, 18:00". */
export function formatMoment(at: Date, locale: 'en' | 'es', timeZone: string): string {
  return formatter(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
