/**
 * Requests and tokens per minute per key, with a fake clock: fixed one-minute windows,
 * OpenAI's headers, whole-second Retry-After.
 */
import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../lib/limits/counter-store.js';
import { formatDuration } from '../../lib/limits/format-duration.js';
import { RateLimiter } from '../../lib/limits/rate-limiter.js';

/** A window boundary: 2030-01-01T00:00:00Z. */
const T0 = Date.UTC(2030, 0, 1);

function limiter() {
  const clock = { now: T0 };
  const store = new MemoryCounterStore(() => clock.now);
  return { clock, store, limiter: new RateLimiter(store, () => clock.now) };
}

describe('requests per minute', () => {
  it('admits rpm requests, refuses the next until the window turns, with OpenAI’s headers', async () => {
    const { clock, limiter: limits } = limiter();
    clock.now = T0 + 15_000;
    const first = await limits.admit('k', { rpm: 2 });
    expect(first).toEqual({
      allowed: true,
      exceeded: undefined,
      retryAfterS: 45,
      headers: { 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '45s' },
    });
    expect((await limits.admit('k', { rpm: 2 })).headers['x-ratelimit-remaining-requests']).toBe('0');
    clock.now = T0 + 59_200;
    const refused = await limits.admit('k', { rpm: 2 });
    expect(refused).toMatchObject({ allowed: false, exceeded: 'requests', retryAfterS: 1 });
    expect(refused.headers).toMatchObject({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '800ms' });
    clock.now = T0 + 60_000;
    expect(await limits.admit('k', { rpm: 2 })).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '1m0s' } });
  });

  it('counts each key on its own', async () => {
    const { limiter: limits } = limiter();
    await limits.admit('a', { rpm: 1 });
    expect((await limits.admit('a', { rpm: 1 })).allowed).toBe(false);
    expect((await limits.admit('b', { rpm: 1 })).allowed).toBe(true);
  });
});

describe('tokens per minute', () => {
  it('refuses once the window’s charged tokens reach tpm, without using up a request', async () => {
    const { clock, limiter: limits } = limiter();
    const both = { rpm: 10, tpm: 100 };
    expect((await limits.admit('k', both)).headers).toMatchObject({ 'x-ratelimit-limit-tokens': '100', 'x-ratelimit-remaining-tokens': '100', 'x-ratelimit-reset-tokens': '1m0s' });
    await limits.charge('k', 60);
    expect((await limits.admit('k', both)).headers['x-ratelimit-remaining-tokens']).toBe('40');
    await limits.charge('k', 50);
    clock.now = T0 + 30_000;
    const refused = await limits.admit('k', both);
    expect(refused).toMatchObject({ allowed: false, exceeded: 'tokens', retryAfterS: 30 });
    expect(refused.headers).toMatchObject({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-remaining-requests': '8' });
    clock.now = T0 + 60_000;
    expect(await limits.admit('k', both)).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining-tokens': '100', 'x-ratelimit-remaining-requests': '9' } });
  });
});

describe('the counter store', () => {
  it('forgets expired counters', async () => {
    const { clock, store } = limiter();
    await store.increment('old', 5, T0 + 1000);
    expect(await store.get('old')).toBe(5);
    clock.now = T0 + 1000;
    expect(await store.get('old')).toBe(0);
    expect(await store.increment('old', 1, T0 + 2000)).toBe(1);
    for (let index = 0; index < 1000; index += 1) await store.increment(`n${index}`, 1, T0 + 1500);
    clock.now = T0 + 1500;
    for (let index = 0; index < 1000; index += 1) await store.increment('keep', 1, T0 + 60_000);
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
