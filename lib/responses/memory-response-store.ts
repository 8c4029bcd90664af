/**
 * Stored responses in this process only, bounded by bytes (least recently used out first,
 * lru-cache) and by age: for tests, and for a serverless instance with no shared store
 * (where the start-up summary says that a stored id lives only as long as its instance).
 */
import { LRUCache } from 'lru-cache';
import { recordBytes, type ResponsePage, type ResponseRecord, type ResponseStore } from './response-store.js';

/**
 * @param maxBytes the bound on the records' JSON, in bytes
 * @param ttlMs how long a record lives, in ms
 */
export function createMemoryResponseStore(maxBytes: number, ttlMs: number): ResponseStore {
  const records = new LRUCache<string, ResponseRecord>({
    maxSize: Math.max(1, maxBytes),
    sizeCalculation: (record) => Math.max(1, recordBytes(record)),
    ttl: ttlMs,
  });
  const key = (tenant: string, id: string) => `${tenant}\0${id}`;
  return {
    kind: 'memory',
    description: 'this process’s memory only',
    async put(record) {
      records.set(key(record.tenant, record.id), record);
    },
    async get(tenant, id) {
      return records.get(key(tenant, id));
    },
    async delete(tenant, id) {
      return records.delete(key(tenant, id));
    },
    async list(tenant, { limit, after }): Promise<ResponsePage> {
      const own = [...records.values()].filter((record) => record.tenant === tenant);
      return pageOf(own, limit, after);
    },
  };
}

/**
 * One page of `records`, newest first (ties by id), starting after the record `after`.
 * Shared by the stores that list from an index in memory.
 */
export function pageOf(records: ResponseRecord[], limit: number, after?: string): ResponsePage {
  records.sort((a, b) => b.stored_at - a.stored_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const start = after === undefined ? 0 : records.findIndex((record) => record.id === after) + 1;
  // A cursor that is gone (deleted, expired) ends the listing rather than restarting it.
  if (start === 0 && after !== undefined) return { data: [], has_more: false };
  const data = records.slice(start, start + limit);
  return { data, has_more: start + limit < records.length };
}
