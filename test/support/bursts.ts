// One member's quick clicks racing each other to the server (issue 8, item 1), for any platform's wire rig.

/** Clicks option `position` as one member who acted at `actedMs` (ms since the epoch); resolves with the receipt's text. */
export type Click = (position: number, actedMs: number) => Promise<string>;

const jitter = (maxMs: number) => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * (maxMs + 1))));

/**
 * `count` clicks on `first` a millisecond apart from `fromMs`, then one on `last` a millisecond later, all in flight
 * together: each leaves after a random delay of up to 8 ms, so they arrive, and are processed, in no particular order, as
 * a platform's separate deliveries do. Resolves with the receipts in the order the member clicked; the last is `last`'s.
 */
export function burst(click: Click, { first, last, fromMs, count = 15 }: { first: number; last: number; fromMs: number; count?: number }): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count + 1 }, async (_, i) => {
      await jitter(8);
      return click(i < count ? first : last, fromMs + i);
    }),
  );
}

/** Where each round of bursts starts: far enough after the last round's clicks that every round's clicks are later. */
export function roundStart(startMs: number, round: number): number {
  return startMs + round * 100;
}

/** 20 rounds of 16 clicks take a few seconds; a slow, shared CI machine gets room, as the rigs' other waits give it. */
export const BURSTS_TIMEOUT_MS = 180_000;
