// Waits for work at most so long: its value when it settles in time, else undefined while the work goes on (await it again for its result).
/** `work`'s value if it fulfils within `ms` (rejects as it does); undefined once `ms` is up, and at once when none is left. */
export function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  // A timer of 0 still waits a turn, and quick work may finish in it: nothing left means not waiting at all.
  // The work is then not watched here: its failure stays the caller's, who awaits it again, and is not reported meanwhile
  // as unhandled.
  if (ms <= 0) {
    work.catch(() => {});
    return Promise.resolve(undefined);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
