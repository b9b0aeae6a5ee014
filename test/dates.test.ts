// Date words and display: pure functions, GIVEN/THEN.
import { describe, expect, it } from 'vitest';
import { addDays, formatDate, parseDateWord, todayIn } from '../src/time/dates.js';

describe('todayIn', () => {
  it('GIVEN 02:00 UTC THEN it is still yesterday in Lima', () => {
    expect(todayIn('America/Lima', new Date('2026-11-28T02:00:00Z'))).toBe('2026-11-27');
    expect(todayIn('UTC', new Date('2026-11-28T02:00:00Z'))).toBe('2026-11-28');
  });
});

describe('parseDateWord', () => {
  const friday = '2026-11-27';
  it.each([
    ['2026-12-15', '2026-12-15'],
    ['today', friday],
    ['hoy', friday],
    ['Tomorrow', '2026-11-28'],
    ['mañana', '2026-11-28'],
    ['friday', friday],
    ['viernes', friday],
    ['saturday', '2026-11-28'],
    ['lunes', '2026-11-30'],
    ['miércoles', '2026-12-02'],
    ['jueves', '2026-12-03'],
  ])('GIVEN %s on Friday 2026-11-27 THEN it is %s', (word, date) => {
    expect(parseDateWord(word, friday)).toBe(date);
  });

  it.each(['2026-13-01', '2026-02-29', 'someday', '15/12/2026', '', 'constructor', '__proto__'])('GIVEN %j THEN it is no date', (word) => {
    expect(parseDateWord(word, friday)).toBeUndefined();
  });
});

describe('addDays and formatDate', () => {
  it('GIVEN the end of a month THEN adding crosses into the next', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('GIVEN a date this year THEN it reads without the year, in each language', () => {
    expect(formatDate('2026-12-01', 'en', '2026-11-27')).toBe('Tue, Dec 1');
    expect(formatDate('2026-12-01', 'es', '2026-11-27')).toBe('mar, 1 dic');
  });
  it('GIVEN a date of another year THEN the year is shown', () => {
    expect(formatDate('2027-01-04', 'en', '2026-11-27')).toContain('2027');
  });
});
