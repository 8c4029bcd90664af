/**
 * Expiring counters behind a small async interface: in memory for now, so that a shared
 * store (Redis `INCRBY` + `PEXPIREAT`, say) can later let every instance count together
 * without the rate limiter changing.
 */

/** Named counters that disappear at their expiry. */
export interface CounterStore {
  /**
   * Adds `amount` to counter `name` (created at 0 when absent or expired) and resolves
   * with its new value.
   * @param expiresAtMs when a newly created counter disappears, in ms since the epoch
   */
  increment(name: string, amount: number, expiresAtMs: number): Promise<number>;
  /** The counter's value; 0 when absent or expired. */
  get(name: string): Promise<number>;
}

interface Counter {
  value: number;
  expiresAtMs: number;
}

/** Writes between two sweeps of expired counters. */
const SWEEP_EVERY = 1000;

/** The in-process store. */
export class MemoryCounterStore implements CounterStore {
  readonly #counters = new Map<string, Counter>();
  #writes = 0;

  /** @param now the clock, in ms since the epoch */
  constructor(private readonly now: () => number = Date.now) {}

  async increment(name: string, amount: number, expiresAtMs: number): Promise<number> {
    if (++this.#writes % SWEEP_EVERY === 0) this.#sweep();
    const counter = this.#live(name);
    if (counter) {
      counter.value += amount;
      return counter.value;
    }
    this.#counters.set(name, { value: amount, expiresAtMs });
    return amount;
  }

  async get(name: string): Promise<number> {
    return this.#live(name)?.value ?? 0;
  }

  /** How many counters are held, expired ones included until the next sweep. */
  get size(): number {
    return this.#counters.size;
  }

  #live(name: string): Counter | undefined {
    const counter = this.#counters.get(name);
    if (counter === undefined || counter.expiresAtMs > this.now()) return counter;
    this.#counters.delete(name);
    return undefined;
  }

  #sweep(): void {
    const now = this.now();
    for (const [name, counter] of this.#counters) if (counter.expiresAtMs <= now) this.#counters.delete(name);
  }
}
