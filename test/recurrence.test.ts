// Recurring rules and wall clocks, GIVEN/THEN: next occurrences in a zone, short months, and daylight-saving changes.
import { describe, expect, it } from 'vitest';
import { nextOccurrence, type Recurrence } from '../src/time/recurrence.js';
import { wallClock, zonedTime } from '../src/time/zones.js';

const nine = { hour: 9, minute: 0 };

function series(rule: Recurrence, from: string, timeZone: string, count: number): string[] {
  const found: Date[] = [];
  let after = new Date(from);
  while (found.length < count) {
    after = nextOccurrence(rule, after, timeZone);
    found.push(after);
  }
  return found.map((at) => `${wallClock(at, timeZone).date} ${at.toISOString().slice(11, 16)}Z`);
}

describe('nextOccurrence', () => {
  it('GIVEN the 31st of each month THEN shorter months use their last day, leap years included', () => {
    expect(series({ kind: 'monthly', day: 31, time: nine }, '2027-12-31T20:00:00Z', 'UTC', 4)).toEqual([
      '2028-01-31 09:00Z',
      '2028-02-29 09:00Z',
      '2028-03-31 09:00Z',
      '2028-04-30 09:00Z',
    ]);
  });

  it('GIVEN the last friday and the fourth thursday THEN each month has its own', () => {
    expect(series({ kind: 'monthlyWeekday', nth: 'last', weekday: 5, time: nine }, '2026-12-01T00:00:00Z', 'UTC', 3)).toEqual([
      '2026-12-25 09:00Z',
      '2027-01-29 09:00Z',
      '2027-02-26 09:00Z',
    ]);
    expect(series({ kind: 'monthlyWeekday', nth: 4, weekday: 4, time: nine }, '2026-11-01T00:00:00Z', 'UTC', 2)).toEqual(['2026-11-26 09:00Z', '2026-12-24 09:00Z']);
  });

  it('GIVEN an occurrence exactly now THEN the next one is strictly after', () => {
    const rule: Recurrence = { kind: 'daily', time: nine };
    expect(nextOccurrence(rule, new Date('2026-11-25T09:00:00Z'), 'UTC').toISOString()).toBe('2026-11-26T09:00:00.000Z');
  });

  it('GIVEN a weekly rule in Madrid THEN 09:00 stays 09:00 local across both changes of 2027', () => {
    const mondays = series({ kind: 'weekly', days: [1], time: nine }, '2027-03-20T00:00:00Z', 'Europe/Madrid', 2);
    expect(mondays).toEqual(['2027-03-22 08:00Z', '2027-03-29 07:00Z']);
    expect(series({ kind: 'weekly', days: [1], time: nine }, '2027-10-28T00:00:00Z', 'Europe/Madrid', 1)).toEqual(['2027-11-01 08:00Z']);
  });
});

describe('zonedTime around daylight-saving changes', () => {
  it.each([
    // Madrid, spring: 02:00–03:00 does not exist; 02:30 moves forward by the gap.
    ['2026-03-29', 2, 30, 'Europe/Madrid', '2026-03-29T01:30:00.000Z'],
    // Madrid, autumn: 02:30 happens twice; the first is in summer time.
    ['2026-10-25', 2, 30, 'Europe/Madrid', '2026-10-25T00:30:00.000Z'],
    // Santiago, September: midnight does not exist; it is 01:00.
    ['2026-09-06', 0, 0, 'America/Santiago', '2026-09-06T04:00:00.000Z'],
    // Santiago, April: 23:30 on Saturday happens twice; the first is in summer time.
    ['2026-04-04', 23, 30, 'America/Santiago', '2026-04-05T02:30:00.000Z'],
    ['2026-04-04', 22, 30, 'America/Santiago', '2026-04-05T01:30:00.000Z'],
    ['2026-04-05', 0, 30, 'America/Santiago', '2026-04-05T04:30:00.000Z'],
    // Bogotá has no change.
    ['2026-03-29', 2, 30, 'America/Bogota', '2026-03-29T07:30:00.000Z'],
  ])('GIVEN %s %i:%i in %s THEN it is %s', (date, hour, minute, zone, instant) => {
    expect(zonedTime(date, hour, minute, zone).toISOString()).toBe(instant);
  });
});
