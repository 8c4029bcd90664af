/**
 * The response cache in front of the chain: answers repeated identical requests from the
 * store, and lets identical requests that arrive while the first is still upstream wait
 * for it and share its answer (single flight), so that 100 concurrent identical requests
 * make one upstream call. With a shared store the same holds across instances, through a
 * short lock per key (`flight-locks.ts`). A failed call is never shared as a cached answer:
 * its waiters try again themselves. A store that cannot answer is a miss, never an error.
 */
import type { ChainOutcome } from '../chain/run-chain.js';
import { StoreUnavailableError } from '../store/store-unavailable.js';
import type { CacheDirectives } from './cache-control.js';
import type { CacheStore, CachedAnswer } from './cache-store.js';
import type { FlightLease, FlightLocks } from './flight-locks.js';

/** How a request was served: from the cache (or a call shared with it), or by its own chain run. */
export type Served = { hit: CachedAnswer } | { outcome: ChainOutcome };

/** A call in flight in this instance: its outcome, or another instance's answer that it waited for. */
type Flight = { outcome: ChainOutcome; entry?: CachedAnswer } | { outcome?: undefined; entry: CachedAnswer };

/** The longest a waiter sleeps between two looks at the store while another instance's call runs, in ms. */
const WAIT_STEP_MS = 250;

/** How the cache is bounded and shared. */
export interface ResponseCacheOptions {
  /** The largest answer stored, in bytes. */
  maxEntryBytes: number;
  /** The shared store's locks, for single flight across instances. */
  flights?: FlightLocks;
}

/** Whether an outcome can be cached: a 2xx answer whose body is complete bytes. */
function cacheable(outcome: ChainOutcome, now: number): CachedAnswer | undefined {
  const { result } = outcome;
  if (result.kind !== 'answer' || result.status < 200 || result.status >= 300 || !(result.body instanceof Uint8Array)) return undefined;
  return {
    status: result.status,
    contentType: result.headers['content-type'] ?? 'application/json',
    body: result.body,
    provider: outcome.provider,
    storedAt: now,
  };
}

/** A store fault is a miss (or a skipped write); anything else is a bug and goes on. */
function storeFault<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof StoreUnavailableError) return fallback;
    throw error;
  };
}

/** The cache, built once per gateway. */
export class ResponseCache {
  private readonly inflight = new Map<string, Promise<Flight>>();

  /**
   * @param ttlMs how long an answer stays, in ms
   * @param now the clock shared with the store, in ms
   */
  constructor(
    private readonly store: CacheStore,
    private readonly ttlMs: number,
    readonly now: () => number,
    private readonly options: ResponseCacheOptions,
  ) {}

  /**
   * Serves one cacheable request.
   * @param produce runs the chain; its rejection is the request's own error
   * @param waitMs the longest this request waits for another instance's call, in ms
   */
  async serve(key: string, directives: CacheDirectives, produce: () => Promise<ChainOutcome>, waitMs: number): Promise<Served> {
    if (directives.lookup) {
      for (;;) {
        const hit = await this.lookup(key, directives);
        if (hit) return { hit };
        const pending = this.inflight.get(key);
        if (pending === undefined) break;
        const shared = await pending.then(
          (flight) => flight.entry,
          () => undefined,
        );
        if (shared) return { hit: shared };
      }
    }
    const flight = this.fly(key, directives, produce, waitMs);
    if (directives.lookup) this.inflight.set(key, flight);
    const done = await flight;
    return done.outcome ? { outcome: done.outcome } : { hit: done.entry };
  }

  private async lookup(key: string, directives: CacheDirectives): Promise<CachedAnswer | undefined> {
    const hit = await this.store.get(key).catch(storeFault(undefined));
    return hit && (directives.maxAgeMs === undefined || this.now() - hit.storedAt <= directives.maxAgeMs) ? hit : undefined;
  }

  private async fly(key: string, directives: CacheDirectives, produce: () => Promise<ChainOutcome>, waitMs: number): Promise<Flight> {
    try {
      const turn = directives.lookup ? await this.takeTurn(key, directives, waitMs) : undefined;
      if (turn && 'entry' in turn) return { entry: turn.entry };
      let outcome: ChainOutcome;
      try {
        outcome = await produce();
      } catch (error) {
        await turn?.release();
        throw error;
      }
      const entry = cacheable(outcome, this.now());
      const write = entry && directives.write && entry.body.byteLength <= this.options.maxEntryBytes;
      // The write is sent before the release, in the same tick, so both go in one round trip
      // on the one connection, in that order: an instance the release wakes finds the answer.
      await Promise.all([write ? this.store.set(key, entry, this.ttlMs).catch(storeFault(undefined)) : undefined, turn?.release()]);
      return { outcome, entry };
    } finally {
      if (directives.lookup) this.inflight.delete(key);
    }
  }

  /**
   * With a shared store: takes the key's lock, or waits for the instance that holds it and
   * returns its answer. Undefined when this instance should call without a lock: no shared
   * store, the store cannot answer, or the wait passed `waitMs`.
   */
  private async takeTurn(key: string, directives: CacheDirectives, waitMs: number): Promise<FlightLease | { entry: CachedAnswer } | undefined> {
    const { flights } = this.options;
    if (flights === undefined) return undefined;
    const deadline = performance.now() + waitMs;
    for (;;) {
      const lease = await flights.acquire(key).catch(storeFault(null));
      if (lease === null) return undefined;
      if (lease) return lease;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      await flights.released(key, Math.min(WAIT_STEP_MS, left));
      const hit = await this.lookup(key, directives);
      if (hit) return { entry: hit };
    }
  }
}
