/**
 * Where the rate limits' buckets live: in process (below) or in Redis
 * (`store/redis/redis-limit-store.ts`), behind one small async interface, so that the
 * rate limiter never knows which.
 */
import { checkLimits, chargeTokens, stateLifetimeMs, type LimitCheck, type Limits, type LimitState } from './gcra.js';

/** A key's buckets, wherever they are kept. */
export interface LimitStore {
  /**
   * Checks one request of key `id` at `nowMs` (ms since the epoch) and, when it is admitted
   * and `count` is true, counts it, in one atomic step.
   * @throws StoreUnavailableError when a shared store cannot answer
   */
  admit(id: string, limits: Limits, nowMs: number, count: boolean): Promise<LimitCheck>;
  /**
   * Adds an answer's `tokens` to the tokens bucket of key `id`.
   * @throws StoreUnavailableError when a shared store cannot answer
   */
  charge(id: string, tokens: number, limits: Limits & { tpm: number }, nowMs: number): Promise<void>;
}

/** Writes between two sweeps of drained buckets. */
const SWEEP_EVERY = 1000;

interface Held {
  state: LimitState;
  /** When the buckets are empty again, in ms since the epoch. */
  expiresAtMs: number;
}

/** The in-process store: this instance's buckets only. */
export class MemoryLimitStore implements LimitStore {
  readonly #held = new Map<string, Held>();
  #writes = 0;

  async admit(id: string, limits: Limits, nowMs: number, count: boolean): Promise<LimitCheck> {
    const { check, next } = checkLimits(this.#live(id, nowMs), limits, nowMs, count);
    if (next) this.#write(id, next, limits, nowMs);
    return check;
  }

  async charge(id: string, tokens: number, limits: Limits & { tpm: number }, nowMs: number): Promise<void> {
    this.#write(id, chargeTokens(this.#live(id, nowMs), tokens, limits, nowMs), limits, nowMs);
  }

  /** How many keys' buckets are held, drained ones included until the next sweep. */
  get size(): number {
    return this.#held.size;
  }

  #live(id: string, nowMs: number): LimitState | undefined {
    const held = this.#held.get(id);
    if (held === undefined || held.expiresAtMs > nowMs) return held?.state;
    this.#held.delete(id);
    return undefined;
  }

  #write(id: string, state: LimitState, limits: Limits, nowMs: number): void {
    if (++this.#writes % SWEEP_EVERY === 0) {
      for (const [name, held] of this.#held) if (held.expiresAtMs <= nowMs) this.#held.delete(name);
    }
    this.#held.set(id, { state, expiresAtMs: state.at + stateLifetimeMs(state, limits) });
  }
}
