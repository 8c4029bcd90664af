/**
 * The in-memory cache store: an LRU (lru-cache) bounded by bytes and by age.
 *
 * @see https://github.com/isaacs/node-lru-cache
 */
import { LRUCache } from 'lru-cache';
import type { CacheStore, CachedAnswer } from './cache-store.js';

/**
 * Bytes an entry costs beyond its body and its key's characters: its objects on the V8 heap
 * (the answer, the body's `Uint8Array` and `ArrayBuffer`, the key string, the LRU's slots)
 * and the allocator's share of the body's backing store. Measured on Node 20 with 20,000
 * entries of 297-byte answers (`heapUsed` after GC): about 490 bytes of heap per entry, its
 * key's string included, besides the body itself. 256, the earlier allowance, let a full
 * cache hold about 40% more than its bound.
 */
export const ENTRY_OVERHEAD_BYTES = 600;

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
