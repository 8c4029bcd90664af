/**
 * Retry-After as OpenAI's `retry-after-ms`, as seconds, and as an HTTP date; and the
 * backoff's full jitter.
 */
import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../lib/chain/backoff.js';
import { retryAfterMs } from '../../lib/chain/retry-after.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');

  it.each([
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '20.4', 'retry-after': '9' }, 21],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Mon, 30 Nov 2026 12:00:03 GMT' }, 3000],
    [{ 'retry-after': 'Mon, 30 Nov 2026 11:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterMs(headers, now)).toBe(expected);
  });
});

describe('backoffMs', () => {
  it('draws from [0, base·2^retry), capped', () => {
    const draws = Array.from({ length: 2000 }, () => backoffMs(3, 100, 500));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(500);
    expect(Math.max(...draws)).toBeGreaterThan(400);
    expect(Math.min(...draws)).toBeLessThan(100);
    expect(Math.max(...Array.from({ length: 500 }, () => backoffMs(0, 100)))).toBeLessThan(100);
  });
});
