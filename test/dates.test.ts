// Today in a zone, day arithmetic and display: pure functions, GIVEN/THEN. (Dates in words are read.ts's: test/read.test.ts.)
import { describe, expect, it } from 'vitest';
import { addDays, formatDate, todayIn } from '../src/time/dates.js';

describe('todayIn', () => {
  it('GIVEN 02:00 UTC THEN it is still yesterday in Lima', () => {
    expect(todayIn('America/Lima', new Date('2026-11-28T02:00:00Z'))).toBe('2026-11-27');
    expect(todayIn('UTC', new Date('2026-11-28T02:00:00Z'))).toBe('2026-11-28');
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
