/**
 * The in-process limit store forgetting drained keys, and OpenAI's duration format (the
 * limits' own cases are the conformance cases, run for every store in `test/store/`).
 */
import { describe, expect, it } from 'vitest';
import { MemoryLimitStore } from '../../lib/limits/limit-store.js';
import { formatDuration } from '../../lib/limits/format-duration.js';

describe('the in-process store', () => {
  it('sweeps drained keys', async () => {
    const store = new MemoryLimitStore();
    const t0 = Date.UTC(2030, 0, 1);
    for (let n = 0; n < 1000; n += 1) await store.admit(`k${n}`, { rpm: 60 }, t0, true);
    for (let n = 0; n < 1000; n += 1) await store.admit('keep', { rpm: 1_000_000 }, t0 + 2_000, true);
    expect(store.size).toBeLessThan(10);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [20, '20ms'],
    [999.2, '1s'],
    [1000, '1s'],
    [1001, '2s'],
    [59_000, '59s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [61_500, '1m2s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
