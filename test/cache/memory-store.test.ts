import { describe, expect, it } from 'vitest';
import { createMemoryStore, ENTRY_OVERHEAD_BYTES } from '../../lib/cache/memory-store.js';
import type { CachedAnswer } from '../../lib/cache/cache-store.js';

const answer = (bytes: number): CachedAnswer => ({ status: 200, contentType: 'application/json', body: new Uint8Array(bytes), provider: 'openai', storedAt: 0 });
const key = (n: number) => n.toString(16).padStart(64, '0');

describe('memory store', () => {
  it('counts an entry as its body, its key and the fixed overhead, against the byte bound', async () => {
    const entry = 100 + 64 + ENTRY_OVERHEAD_BYTES;
    const store = createMemoryStore(10 * entry);
    for (let n = 0; n < 10; n++) await store.set(key(n), answer(100), 60_000);
    expect(await store.get(key(0))).toBeDefined();
    // Ten fit exactly; the eleventh evicts the least recently used (now key 1).
    await store.set(key(10), answer(100), 60_000);
    expect(await store.get(key(1))).toBeUndefined();
    expect(await store.get(key(0))).toBeDefined();
    // One byte over a tenth of the bound is not kept.
    await store.set(key(11), answer(101), 60_000);
    expect(await store.get(key(11))).toBeUndefined();
  });
});
