// Cuts a long reply's sections (a digest) to what one message can hold, the same way on every platform: the longest lists lose their last lines first, and what is left out is counted. Pure.

/**
 * What a renderer shows: how many lines of each section it keeps (from the start), and how many sections stand on their
 * own, in order; the sections after those are left out whole, their items counted as one "…and N more" at the end.
 */
export interface SectionCut {
  kept: number[];
  shown: number;
}

/**
 * The cut that shows the most among those `fits` accepts, given what each line of each section costs on the platform
 * (its rendered length). Section 0 is the reply's own lines (the digest's summary), cut last.
 *
 * Why the longest lists first, rather than the last sections: a digest's sections come in order of urgency (overdue
 * tasks, then what is due, then decisions…), and each list is already sorted the same way, so its first lines matter
 * most. Dropping whole sections from the end would let one long list (forty finished tasks) silence every list after
 * it; cutting every list at one common length, like water finding its level, keeps the head of every list, leaves short
 * lists whole, and takes the lines from where they are the least missed: the tail of the longest lists. Only when even
 * titles and counts do not fit (dozens of sections) are whole sections left out, from the end, and only then the summary.
 *
 * `fits` should accept fewer or shorter lines whenever it accepts more: each step is a binary search, a few dozen calls.
 * `budget` is the most the platform could show in all: lines past it are left out before trying, so each try is short.
 */
export function cutSections(costs: number[][], fits: (cut: SectionCut) => boolean, budget: number): SectionCut {
  const sections = costs.map((lines) => affordable(lines, budget));
  const count = sections.length;
  const all = { kept: sections.map((costs) => costs.length), shown: count };
  if (fits(all)) return all;

  /** Every list cut at `level` (at most that many characters of lines), the summary at `summaryLevel`, `shown` sections on their own. */
  const cutAt = (level: number, summaryLevel = Infinity, shown = count): SectionCut => ({
    kept: sections.map((costs, index) => (index === 0 ? upTo(costs, summaryLevel) : index < shown ? upTo(costs, level) : 0)),
    shown,
  });

  // 1. One common level for every list but the summary.
  const longest = Math.max(0, ...sections.slice(1).map(total));
  const level = largest(0, longest, (candidate) => fits(cutAt(candidate)));
  if (level !== undefined) return cutAt(level);
  // 2. Titles and counts alone are too many: the last sections are only counted.
  const shown = largest(1, count - 1, (candidate) => fits(cutAt(0, Infinity, candidate)));
  if (shown !== undefined) return cutAt(0, Infinity, shown);
  // 3. The summary itself, beside a count of everything else.
  const summaryLevel = largest(0, total(sections[0] ?? []), (candidate) => fits(cutAt(0, candidate, 1)));
  return cutAt(0, summaryLevel ?? 0, Math.min(1, count));
}

/**
 * A section's lines made ready to show (escaped, cut to a line's length), the first ones only: those whose total length
 * stays within `budget`, the most the platform could show in all. The rest could never show, so they are counted
 * without the work of rendering them (a digest may list hundreds).
 */
export function renderLines<T>(items: T[], render: (item: T) => string, budget: number): string[] {
  const lines: string[] = [];
  let sum = 0;
  for (const item of items) {
    const line = render(item);
    sum += line.length + 1;
    if (sum > budget) break;
    lines.push(line);
  }
  return lines;
}

/** The costs of the first lines whose total stays within `budget`. */
function affordable(costs: number[], budget: number): number[] {
  return costs.slice(0, upTo(costs, budget));
}

/** How many lines from the start fit in `level` characters. */
function upTo(costs: number[], level: number): number {
  let sum = 0;
  for (let index = 0; index < costs.length; index += 1) {
    sum += costs[index]!;
    if (sum > level) return index;
  }
  return costs.length;
}

function total(costs: number[]): number {
  return costs.reduce((sum, cost) => sum + cost, 0);
}

/** The largest value in [low, high] that `ok` accepts, assuming it accepts every value below one it accepts; undefined if none. */
function largest(low: number, high: number, ok: (value: number) => boolean): number | undefined {
  if (high < low || !ok(low)) return undefined;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}
