/**
 * The in-process state store: this instance's LRU cache and rate-limit buckets, nothing
 * shared.
 */
import { createMemoryStore } from '../cache/memory-store.js';
import { MemoryLimitStore } from '../limits/limit-store.js';
import { MemorySpendStore } from '../spend/spend-store.js';
import type { StateStore } from './state-store.js';

/**
 * @param cacheMaxBytes the cache's bound, in bytes
 * @param now the cache's clock, in ms
 */
export function memoryStateStore(cacheMaxBytes: number, now: () => number): StateStore {
  return {
    description: 'in process (this instance only)',
    health: () => 'memory',
    cache: createMemoryStore(cacheMaxBytes, now),
    limits: new MemoryLimitStore(),
    spend: new MemorySpendStore(),
  };
}
