/**
 * The in-memory cache store: an LRU (lru-cache) bounded by bytes and by age.
 *
 * @see https://github.com/isaacs/node-lru-cache
 */
import { LRUCache } from 'lru-cache';
import type { CacheStore, CachedAnswer } from './cache-store.js';

/** Bytes an entry is counted as: its body plus a fixed allowance for its key and fields. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Creates a store that holds at most `maxBytes` of answers; an entry over a tenth of
 * that is not kept. `now` (ms) drives expiry, so tests can move time.
 */
export function createMemoryStore(maxBytes: number, now: () => number = () => performance.now()): CacheStore {
  const lru = new LRUCache<string, CachedAnswer>({
    maxSize: Math.max(1, maxBytes),
    maxEntrySize: Math.max(1, Math.floor(maxBytes / 10)),
    sizeCalculation: (answer, key) => answer.body.byteLength + key.length + ENTRY_OVERHEAD_BYTES,
    perf: { now },
    ttlResolution: 0,
  });
  return {
    get: async (key) => lru.get(key),
    set: async (key, answer, ttlMs) => {
      lru.set(key, answer, { ttl: ttlMs });
    },
    delete: async (key) => {
      lru.delete(key);
    },
  };
}
