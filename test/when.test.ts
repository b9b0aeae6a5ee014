// Deadlines as polls read them (a day without a time ends at 23:59), in both languages and in the member's zone, and the zones they rest on: GIVEN/THEN.
import { describe, expect, it } from 'vitest';
import { readWhen } from '../src/time/read.js';
import { formatMoment, offsetMinutes, zonedTime } from '../src/time/zones.js';

// Friday 27 November 2026, 12:00 UTC = 07:00 in Lima (UTC-5).
const now = new Date('2026-11-27T12:00:00Z');
const lima = { now, timeZone: 'America/Lima', defaultTime: '23:59' };

describe('deadlines in Lima', () => {
  it.each([
    ['tomorrow 18:00', '2026-11-28T23:00:00.000Z'],
    ['mañana 18:00', '2026-11-28T23:00:00.000Z'],
    ['mañana a las 18', '2026-11-28T23:00:00.000Z'],
    ['tomorrow at 6pm', '2026-11-28T23:00:00.000Z'],
    ['friday', '2026-11-28T04:59:00.000Z'],
    ['el viernes', '2026-11-28T04:59:00.000Z'],
    ['viernes a las 6 de la tarde', '2026-11-27T23:00:00.000Z'],
    ['el lunes a las 10', '2026-11-30T15:00:00.000Z'],
    ['pasado mañana', '2026-11-30T04:59:00.000Z'],
    ['2026-12-01 18:00', '2026-12-01T23:00:00.000Z'],
    ['2026-12-01', '2026-12-02T04:59:00.000Z'],
    ['3 de diciembre', '2026-12-04T04:59:00.000Z'],
    ['Agosto 23', '2027-08-24T04:59:00.000Z'],
    ['Dec 3 10:30', '2026-12-03T15:30:00.000Z'],
    ['in 2 hours', '2026-11-27T14:00:00.000Z'],
    ['en 2 horas', '2026-11-27T14:00:00.000Z'],
    ['dentro de 3 días', '2026-11-30T12:00:00.000Z'],
    ['24h', '2026-11-28T12:00:00.000Z'],
    ['at 9', '2026-11-27T14:00:00.000Z'],
    ['a las 6', '2026-11-28T11:00:00.000Z'],
    ['next friday at 6pm', '2026-11-27T23:00:00.000Z'],
  ])('GIVEN %j THEN it is %s', (text, instant) => {
    const when = readWhen(text, lima);
    expect(when.ok && when.kind !== 'recurring' && when.at.toISOString()).toBe(instant);
  });

  it.each(['', 'someday', 'cuando se pueda', 'tomorrow 25:00', '2026-02-30', '31 de febrero'])('GIVEN %j THEN it is not understood', (text) => {
    expect(readWhen(text, lima).ok).toBe(false);
  });
});

describe('zones', () => {
  it('GIVEN Madrid in winter and summer THEN the offset follows daylight saving', () => {
    expect(offsetMinutes('Europe/Madrid', new Date('2026-01-15T12:00:00Z'))).toBe(60);
    expect(offsetMinutes('Europe/Madrid', new Date('2026-07-15T12:00:00Z'))).toBe(120);
    expect(zonedTime('2026-07-15', 18, 0, 'Europe/Madrid').toISOString()).toBe('2026-07-15T16:00:00.000Z');
  });
  it('GIVEN an instant THEN it reads in the member\'s zone and language', () => {
    expect(formatMoment(new Date('2026-11-28T23:00:00Z'), 'es', 'America/Lima')).toBe('sáb, 28 nov, 18:00');
    expect(formatMoment(new Date('2026-11-28T23:00:00Z'), 'en', 'America/Lima')).toBe('Sat, Nov 28, 18:00');
  });
});
