/**
 * The response cache's conformance cases: what the cache does over every `CacheStore` (in
 * process, Redis), single flight within an instance included. Each store's test file runs
 * them; the cases across two instances are in `test/store/two-instances.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../../lib/cache/cache-store.js';
import type { FlightLocks } from '../../../lib/cache/flight-locks.js';
import { ResponseCache } from '../../../lib/cache/response-cache.js';
import type { ChainOutcome } from '../../../lib/chain/run-chain.js';

/** What a store's test file provides: a fresh store (or namespace) and its locks, if it has any. */
export interface CacheUnderTest {
  store: CacheStore;
  flights?: FlightLocks;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A chain outcome whose body says `text`. */
function outcome(text: string, status = 200): ChainOutcome {
  return {
    result: { kind: 'answer', status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: new TextEncoder().encode(text), streamed: false },
    provider: 'openai',
    attempts: 1,
  };
}

const both = { lookup: true, write: true };
let unique = 0;
const freshKey = () => `${(++unique).toString(16).padStart(8, '0')}${'0'.repeat(56)}`;

/** Runs the cases; `open` is called in each test. */
export function cacheConformance(open: () => CacheUnderTest): void {
  const cache = (options: { ttlMs?: number; maxEntryBytes?: number } = {}) => {
    const { store, flights } = open();
    return new ResponseCache(store, options.ttlMs ?? 60_000, Date.now, { maxEntryBytes: options.maxEntryBytes ?? 1024 * 1024, flights });
  };

  describe('response cache', () => {
    it('a repeat is a hit with the same status, content type, provider and bytes, and when it was stored', async () => {
      const responses = cache();
      const key = freshKey();
      const before = Date.now();
      const first = await responses.serve(key, both, async () => outcome('{"id":"a"}'), 1000);
      expect('outcome' in first).toBe(true);
      const second = await responses.serve(key, both, async () => outcome('{"id":"b"}'), 1000);
      expect('hit' in second && second.hit).toMatchObject({ status: 200, contentType: 'application/json; charset=utf-8', provider: 'openai' });
      if (!('hit' in second)) return;
      expect(new TextDecoder().decode(second.hit.body)).toBe('{"id":"a"}');
      expect(second.hit.storedAt).toBeGreaterThanOrEqual(before);
    });

    it('an entry expires after its time to live', async () => {
      const responses = cache({ ttlMs: 200 });
      const key = freshKey();
      await responses.serve(key, both, async () => outcome('old'), 1000);
      expect('hit' in (await responses.serve(key, both, async () => outcome('new'), 1000))).toBe(true);
      await sleep(400);
      expect('outcome' in (await responses.serve(key, both, async () => outcome('new'), 1000))).toBe(true);
    });

    it('an answer over the entry bound is served but not stored', async () => {
      const responses = cache({ maxEntryBytes: 100 });
      const key = freshKey();
      await responses.serve(key, both, async () => outcome('x'.repeat(101)), 1000);
      expect('outcome' in (await responses.serve(key, both, async () => outcome('x'), 1000))).toBe(true);
      const small = freshKey();
      await responses.serve(small, both, async () => outcome('x'.repeat(100)), 1000);
      expect('hit' in (await responses.serve(small, both, async () => outcome('x'), 1000))).toBe(true);
    });

    it('no-store skips the write, no-cache the lookup; an error answer is never stored', async () => {
      const responses = cache();
      const key = freshKey();
      await responses.serve(key, { lookup: true, write: false }, async () => outcome('a'), 1000);
      expect('outcome' in (await responses.serve(key, { lookup: false, write: true }, async () => outcome('b'), 1000))).toBe(true);
      const hit = await responses.serve(key, both, async () => outcome('c'), 1000);
      expect('hit' in hit && new TextDecoder().decode(hit.hit.body)).toBe('b');
      const failed = freshKey();
      await responses.serve(failed, both, async () => outcome('no', 500), 1000);
      expect('outcome' in (await responses.serve(failed, both, async () => outcome('yes'), 1000))).toBe(true);
    });

    it('20 concurrent identical requests make one call; all get its answer', async () => {
      const responses = cache();
      const key = freshKey();
      let calls = 0;
      const produce = async () => {
        calls += 1;
        await sleep(100);
        return outcome('shared');
      };
      const served = await Promise.all(Array.from({ length: 20 }, () => responses.serve(key, both, produce, 2000)));
      expect(calls).toBe(1);
      expect(served.filter((one) => 'hit' in one)).toHaveLength(19);
    });

    it('a failed first call is not shared: the waiting requests make their own', async () => {
      const responses = cache();
      const key = freshKey();
      let calls = 0;
      const produce = async () => {
        calls += 1;
        await sleep(50);
        if (calls === 1) throw new Error('upstream down');
        return outcome('second');
      };
      const served = await Promise.allSettled(Array.from({ length: 10 }, () => responses.serve(key, both, produce, 2000)));
      expect(served.filter((one) => one.status === 'rejected')).toHaveLength(1);
      expect(calls).toBe(2);
    });
  });
}
