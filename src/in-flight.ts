// Work still running (a command being answered), so stopping waits for it: an answer half given is never cut off.
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `work`, counted until it settles. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.running.add(running);
    void running.finally(() => this.running.delete(running)).catch(() => {});
    return running;
  }

  /** Every method of `target` (all returning promises) counted as it runs. */
  track<T extends object>(target: T): T {
    const wrapped = { ...target } as Record<string, unknown>;
    for (const [name, value] of Object.entries(target)) {
      if (typeof value === 'function') wrapped[name] = (...args: unknown[]) => this.run(() => (value as (...a: unknown[]) => Promise<unknown>)(...args));
    }
    return wrapped as T;
  }

  /** Resolves when what runs now has ended (not what arrives meanwhile: under load that could be forever). */
  async current(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Resolves when nothing runs, including what started while waiting (once nothing new can arrive). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
