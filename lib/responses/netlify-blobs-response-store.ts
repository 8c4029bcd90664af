/**
 * Stored responses in Netlify Blobs, for the gateway on Netlify without Redis: the store the
 * platform gives every site, shared by all of its function instances. Each response is one
 * JSON blob (`r/<id>`), and each tenant has an index of empty blobs whose keys sort newest
 * first (`t/<tenant hash>/<inverted time>-<id>`), so that a list is one prefix listing.
 * Reads and writes use strong consistency, so that the next request, on any instance, can
 * continue a response at once. Blobs do not expire: a record past its age is treated as gone.
 *
 * @see https://docs.netlify.com/build/data-and-storage/netlify-blobs/
 */
import { createHash } from 'node:crypto';
import type { Store } from '@netlify/blobs';
import type { ResponseRecord, ResponseStore } from './response-store.js';

/** The store's name on the site. */
export const BLOBS_STORE_NAME = 'ai-gateway-responses';

/** Times (ms) are inverted against this (year 2286) so that keys sort newest first. */
const LATEST = 9_999_999_999_999;

const tenantHash = (tenant: string) => createHash('sha256').update(tenant).digest('hex').slice(0, 32);
const indexKey = (record: Pick<ResponseRecord, 'tenant' | 'stored_at' | 'id'>) =>
  `t/${tenantHash(record.tenant)}/${String(LATEST - record.stored_at).padStart(13, '0')}-${record.id}`;

/**
 * @param store a Netlify Blobs store (`getStore({ name: BLOBS_STORE_NAME, consistency: 'strong' })`)
 * @param ttlMs how long a response lives, in ms
 * @param now the clock, in ms since the epoch
 */
export function createNetlifyBlobsResponseStore(store: Store, ttlMs: number, now: () => number = Date.now): ResponseStore {
  const live = (record: ResponseRecord) => now() - record.stored_at <= ttlMs;
  const read = async (tenant: string, id: string): Promise<ResponseRecord | undefined> => {
    const record = (await store.get(`r/${id}`, { type: 'json' })) as ResponseRecord | null;
    return record !== null && record.tenant === tenant && live(record) ? record : undefined;
  };
  return {
    kind: 'netlify-blobs',
    description: `Netlify Blobs (store ${BLOBS_STORE_NAME})`,
    async put(record) {
      await store.setJSON(`r/${record.id}`, record);
      await store.set(indexKey(record), '');
    },
    get: read,
    async delete(tenant, id) {
      const record = await read(tenant, id);
      if (record === undefined) return false;
      await Promise.all([store.delete(`r/${id}`), store.delete(indexKey(record))]);
      return true;
    },
    async list(tenant, { limit, after }) {
      const { blobs } = await store.list({ prefix: `t/${tenantHash(tenant)}/` });
      // `<inverted time>-<id>`: sorted, newest first; the id follows the 13 digits and the dash.
      const ordered = blobs.map((blob) => blob.key.slice(blob.key.lastIndexOf('/') + 1)).sort().map((name) => name.slice(14));
      const start = after === undefined ? 0 : ordered.indexOf(after) + 1;
      if (start === 0 && after !== undefined) return { data: [], has_more: false };
      const data: ResponseRecord[] = [];
      let index = start;
      for (; index < ordered.length && data.length < limit; index += 1) {
        const record = await read(tenant, ordered[index]);
        if (record) data.push(record);
      }
      return { data, has_more: index < ordered.length };
    },
  };
}
