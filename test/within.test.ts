// within: the value of work that settles in time, undefined once the time is up or when there is none.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { within } from '../src/within.js';

describe('within', () => {
  afterEach(() => vi.useRealTimers());

  it('GIVEN work that settles in time THEN its value', async () => {
    expect(await within(Promise.resolve('ready'), 1_000)).toBe('ready');
  });

  it('GIVEN work slower than the time THEN undefined, and the work goes on', async () => {
    vi.useFakeTimers();
    let finish: (value: string) => void = () => {};
    const work = new Promise<string>((resolve) => (finish = resolve));
    const waited = within(work, 2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await waited).toBeUndefined();
    finish('later');
    expect(await work).toBe('later');
  });

  it('GIVEN no time left THEN undefined at once, even for work already done', async () => {
    expect(await within(Promise.resolve('ready'), 0)).toBeUndefined();
  });

  it('GIVEN work that fails in time THEN the failure', async () => {
    await expect(within(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });

  it('GIVEN no time left and work that fails before its caller awaits it THEN nothing is reported unhandled, and the caller still sees the failure', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const work = Promise.reject(new Error('boom'));
      expect(await within(work, 0)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      await expect(work).rejects.toThrow('boom');
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
