// When a member acted, as platforms tell it: pure functions, GIVEN/THEN.
import { describe, expect, it } from 'vitest';
import { receiptClock, slackActionMicros, snowflakeMicros } from '../src/acted.js';

describe('slackActionMicros', () => {
  it.each([
    ['1548426417.840180', 1548426417840180],
    ['1548426417.000001', 1548426417000001],
    ['1548426417.84', 1548426417840000],
    ['1548426417', 1548426417000000],
    ['1700000000.123457', 1700000000123457],
  ])('GIVEN action_ts %s THEN it is %d µs', (actionTs, expected) => {
    expect(slackActionMicros(actionTs)).toBe(expected);
  });

  it.each(['', 'soon', '1548426417.', '.840180', '1548426417.8401801', '-1548426417.840180', '1e9', '99999999999.000000'])(
    'GIVEN %j THEN it is no time',
    (actionTs) => {
      expect(slackActionMicros(actionTs)).toBeUndefined();
    },
  );

  it('GIVEN two clicks a microsecond apart THEN the later is the larger', () => {
    expect(slackActionMicros('1548426417.840181')! - slackActionMicros('1548426417.840180')!).toBe(1);
  });
});

describe('snowflakeMicros', () => {
  it.each([
    // Discord's own example: 175928847299117063 was made 2016-04-30 11:18:25.796 UTC.
    ['175928847299117063', Date.parse('2016-04-30T11:18:25.796Z') * 1000],
    // The epoch itself, and the low 22 bits (worker, process, increment) carrying no time.
    ['0', Date.parse('2015-01-01T00:00:00.000Z') * 1000],
    [String((1n << 22n) - 1n), Date.parse('2015-01-01T00:00:00.000Z') * 1000],
    [String(1000n << 22n), Date.parse('2015-01-01T00:00:01.000Z') * 1000],
  ])('GIVEN id %s THEN it is %d µs', (id, expected) => {
    expect(snowflakeMicros(id)).toBe(expected);
  });

  it.each(['', 'abc', '-1', '1.5', '123456789012345678901'])('GIVEN %j THEN it is no time', (id) => {
    expect(snowflakeMicros(id)).toBeUndefined();
  });
});

describe('receiptClock', () => {
  it('GIVEN a clock that stands still THEN each arrival is still a microsecond after the one before', () => {
    const received = receiptClock(() => new Date('2026-11-27T12:00:00Z'));
    const start = Date.parse('2026-11-27T12:00:00Z') * 1000;
    expect([received(), received(), received()]).toEqual([start, start + 1, start + 2]);
  });

  it('GIVEN the clock moves on THEN the time follows it', () => {
    let now = new Date('2026-11-27T12:00:00Z');
    const received = receiptClock(() => now);
    received();
    now = new Date('2026-11-27T12:00:01Z');
    expect(received()).toBe(Date.parse('2026-11-27T12:00:01Z') * 1000);
  });

  it('GIVEN the clock steps back THEN times still never go back', () => {
    let now = new Date('2026-11-27T12:00:01Z');
    const received = receiptClock(() => now);
    const first = received();
    now = new Date('2026-11-27T12:00:00Z');
    expect(received()).toBe(first + 1);
  });
});
