// When a member acted, in microseconds since the epoch: a member's ballot keeps their latest change by this time, not by arrival.
import { micros } from './ballot-keys.js';

/** Discord's epoch, the first second of 2015, in milliseconds since the Unix epoch. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** Slack's `action_ts` ("1548426417.840180": seconds, then up to six digits of microseconds), read digit for digit, not through a float. */
export function slackActionMicros(actionTs: string): number | undefined {
  const match = /^(\d{1,10})(?:\.(\d{1,6}))?$/.exec(actionTs);
  if (!match) return undefined;
  const at = Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
  return Number.isSafeInteger(at) ? at : undefined;
}

/** The time in a Discord snowflake (an interaction's id: when the member acted), to the millisecond Discord gives. */
export function snowflakeMicros(id: string): number | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  const at = ((BigInt(id) >> 22n) + DISCORD_EPOCH_MS) * 1000n;
  return at <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(at) : undefined;
}

/**
 * The moment input arrives, never the same twice from one clock: two commands within a millisecond still come out in the
 * order they arrived, where equal times would leave the second one ignored as no newer than the first.
 */
export function receiptClock(now: () => Date = () => new Date()): () => number {
  let last = 0;
  return () => (last = Math.max(micros(now()), last + 1));
}
