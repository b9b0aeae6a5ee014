// One member's quick clicks racing each other to the server (issue 8, item 1), for any platform's wire rig.
import { expect } from 'vitest';

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

/** A poll's ballots as the wire tests read them: whose, and which positions. */
export type Ballots = () => PromiseLike<{ userId: string | null; choices: number[] }[]>;

/**
 * Twenty rounds of 15 clicks on A, then one on B, by `userId` on a single-choice poll of options Alpha and Beta: B's
 * click came last, so it counts every round, in one row, and every receipt tells the truth as it stood.
 */
export async function lastClickWins(click: Click, ballots: Ballots, poll: { number: number }, userId: string): Promise<void> {
  const receipt = (label: string) => `Your vote on #${poll.number}: ${label}.`;
  const start = Date.now();
  for (let round = 0; round < 20; round++) {
    const receipts = await burst(click, { first: 1, last: 2, fromMs: roundStart(start, round) });
    expect(receipts.at(-1)).toBe(receipt('Beta'));
    expect(receipts.every((said) => said === receipt('Alpha') || said === receipt('Beta'))).toBe(true);
    expect(await ballots()).toEqual([{ userId, choices: [2] }]);
  }
}

/**
 * Ten rounds of 15 toggles of A, then one of B, on a multiple-choice poll of Alpha, Beta and Gamma, with Gamma chosen
 * throughout (so no click leaves the ballot empty): the ballot is what B's receipt said, in one row.
 */
export async function lastToggleWins(click: Click, ballots: Ballots, poll: { number: number }): Promise<void> {
  const labels = ['Alpha', 'Beta', 'Gamma'];
  const start = Date.now();
  await click(3, start - 1000);
  for (let round = 0; round < 10; round++) {
    const receipts = await burst(click, { first: 1, last: 2, fromMs: roundStart(start, round) });
    const [ballot, ...more] = await ballots();
    expect(more).toEqual([]);
    // B's click came last, so it counted, and the older clicks handled after it did not undo what it showed.
    expect(receipts.at(-1)).toBe(`Your vote on #${poll.number}: ${ballot!.choices.map((position) => labels[position - 1]).join(', ')}.`);
    expect(ballot!.choices.includes(2)).toBe(round % 2 === 0);
    expect(ballot!.choices.includes(3)).toBe(true);
  }
}
