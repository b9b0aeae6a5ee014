// A digest's schedule as typed → one weekly rule, in both languages: the default, weekly rules, days, moments and times alone; what is refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIGEST_SCHEDULE, readDigestSchedule } from '../src/digests.js';
import { UserError } from '../src/errors.js';
import type { Recurrence, Weekday } from '../src/time/recurrence.js';
import { FIXED_NOW } from './support/core.js';

// Friday 27 November 2026, 07:00 in Lima.
const context = { now: FIXED_NOW, timeZone: 'America/Lima' };
const weekly = (day: Weekday, hour: number, minute = 0): Recurrence => ({ kind: 'weekly', days: [day], time: { hour, minute } });

describe('readDigestSchedule', () => {
  it.each<[string | undefined, Recurrence]>([
    [undefined, DEFAULT_DIGEST_SCHEDULE],
    ['  ', DEFAULT_DIGEST_SCHEDULE],
    // A weekly rule with one day
    ['every friday 17:00', weekly(5, 17)],
    ['every friday', weekly(5, 9)],
    ['cada viernes a las 17', weekly(5, 17)],
    ['los viernes', weekly(5, 9)],
    // A day or a moment: that weekday, at its time (09:00 without one)
    ['friday 17:00', weekly(5, 17)],
    ['el viernes a las 17', weekly(5, 17)],
    ['friday', weekly(5, 9)],
    ['el viernes', weekly(5, 9)],
    ['sábado 10:30', weekly(6, 10, 30)],
    ['monday', weekly(1, 9)],
    ['tomorrow 8am', weekly(6, 8)],
    ['Dec 5', weekly(6, 9)],
    // A time alone: Mondays
    ['17:00', weekly(1, 17)],
    ['"17:00"', weekly(1, 17)],
    ['a las 17', weekly(1, 17)],
    ['a las 6 de la tarde', weekly(1, 18)],
    ['in the afternoon', weekly(1, 15)],
  ])('GIVEN %j THEN it is %j', (when, rule) => {
    expect(readDigestSchedule(when, context)).toEqual(rule);
  });

  it.each(['every day at 9', 'todos los días a las 9', 'every weekday', 'every monday and friday', 'cada lunes y jueves', 'every month on the 1st', 'el primer lunes de cada mes'])(
    'GIVEN %j THEN it is refused: a digest is weekly',
    (when) => {
      const error = caught(() => readDigestSchedule(when, context));
      expect(error).toMatchObject({ key: 'error.digestWeekly', params: { input: when } });
    },
  );

  it.each(['someday', 'next week', 'cuando se pueda'])('GIVEN %j THEN it is not understood, with examples of a digest\'s schedule', (when) => {
    expect(caught(() => readDigestSchedule(when, context))).toMatchObject({ key: 'error.timeNotUnderstood', params: { input: when, examples: { phrase: 'digest.examples' } } });
  });
});

function caught(run: () => unknown): UserError {
  try {
    run();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('no user error');
}
