/**
 * The response cache in front of the chain: answers repeated identical requests from the
 * store, and lets identical requests that arrive while the first is still upstream wait
 * for it and share its answer (single flight), so that 100 concurrent identical requests
 * make one upstream call. A failed call is never shared as a cached answer: its waiters
 * try again themselves.
 */
import type { ChainOutcome } from '../chain/run-chain.js';
import type { CacheDirectives } from './cache-control.js';
import type { CacheStore, CachedAnswer } from './cache-store.js';

/** How a request was served: from the cache (or a shared in-flight call), or by its own chain run. */
export type Served = { hit: CachedAnswer } | { outcome: ChainOutcome };

interface Flight {
  outcome: ChainOutcome;
  /** The answer to share, when the outcome is a cacheable one. */
  entry?: CachedAnswer;
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
  ) {}

  /**
   * Serves one cacheable request.
   * @param produce runs the chain; its rejection is the request's own error
   */
  async serve(key: string, directives: CacheDirectives, produce: () => Promise<ChainOutcome>): Promise<Served> {
    if (directives.lookup) {
      for (;;) {
        const hit = await this.store.get(key);
        if (hit && (directives.maxAgeMs === undefined || this.now() - hit.storedAt <= directives.maxAgeMs)) return { hit };
        const pending = this.inflight.get(key);
        if (pending === undefined) break;
        const shared = await pending.then(
          (flight) => flight.entry,
          () => undefined,
        );
        if (shared) return { hit: shared };
      }
    }
    const flight = this.fly(key, directives, produce);
    if (directives.lookup) this.inflight.set(key, flight);
    return { outcome: (await flight).outcome };
  }

  private async fly(key: string, directives: CacheDirectives, produce: () => Promise<ChainOutcome>): Promise<Flight> {
    try {
      const outcome = await produce();
      const entry = cacheable(outcome, this.now());
      if (entry && directives.write) await this.store.set(key, entry, this.ttlMs);
      return { outcome, entry };
    } finally {
      if (directives.lookup) this.inflight.delete(key);
    }
  }
}
