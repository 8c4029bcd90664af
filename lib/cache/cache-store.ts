/**
 * The response cache's storage, behind a small async interface so that a shared store
 * (Redis, a database) can replace the in-memory one without touching the chain.
 */

/** One cached answer: exactly what the client got the first time. */
export interface CachedAnswer {
  status: number;
  /** `content-type` of the first answer. */
  contentType: string;
  body: Uint8Array;
  /** The provider that answered. */
  provider: string;
  /** When it was stored, in ms since the epoch (of the store's clock). */
  storedAt: number;
}

/** Where cached answers live. Keys are opaque hex digests. */
export interface CacheStore {
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Stores `answer` for `ttlMs`; a store may decline entries it deems too large. */
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}
