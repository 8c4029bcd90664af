/**
 * The rate limits' conformance cases: what every `LimitStore` (in process, Redis) must do
 * behind the `RateLimiter`, on a fake clock. Each store's test file runs them.
 */
import { describe, expect, it } from 'vitest';
import type { LimitStore } from '../../../lib/limits/limit-store.js';
import { RateLimiter } from '../../../lib/limits/rate-limiter.js';

/** 2030-01-01T00:00:00Z: any time works, there are no windows. */
const T0 = Date.UTC(2030, 0, 1);

/** Runs the cases against the stores `open()` makes (a fresh store, or a fresh namespace, each time). */
export function limitConformance(open: () => LimitStore): void {
  let key = 0;
  function limiter() {
    const clock = { now: T0 };
    return { clock, limits: new RateLimiter(open(), 'open', () => clock.now), id: `key-${++key}-${Math.random()}` };
  }

  describe('requests per minute (GCRA)', () => {
    it('admits rpm at once, then one more every 60 s / rpm, with OpenAI’s headers', async () => {
      const { clock, limits, id } = limiter();
      expect(await limits.admit(id, { rpm: 2 })).toEqual({
        allowed: true,
        exceeded: undefined,
        retryAfterS: 0,
        headers: { 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '30s' },
      });
      expect((await limits.admit(id, { rpm: 2 })).headers).toMatchObject({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m0s' });
      clock.now = T0 + 10_000;
      const refused = await limits.admit(id, { rpm: 2 });
      expect(refused).toMatchObject({ allowed: false, exceeded: 'requests', retryAfterS: 20 });
      expect(refused.headers).toEqual({ 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '50s' });
      clock.now = T0 + 30_000;
      expect(await limits.admit(id, { rpm: 2 })).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m0s' } });
      expect((await limits.admit(id, { rpm: 2 })).allowed).toBe(false);
    });

    it.each([5, 7, 60, 1000])('a burst of exactly rpm = %i is admitted, the next is not', async (rpm) => {
      const { limits, id } = limiter();
      const verdicts = [];
      for (let n = 0; n <= rpm; n += 1) verdicts.push((await limits.admit(id, { rpm })).allowed);
      expect(verdicts.filter(Boolean)).toHaveLength(rpm);
      expect(verdicts.at(-1)).toBe(false);
    });

    it('no window boundary lets twice the limit through', async () => {
      const { clock, limits, id } = limiter();
      clock.now = T0 + 59_900;
      for (let n = 0; n < 10; n += 1) expect((await limits.admit(id, { rpm: 10 })).allowed).toBe(true);
      // A fixed one-minute window would turn here and admit ten more.
      clock.now = T0 + 60_100;
      expect(await limits.admit(id, { rpm: 10 })).toMatchObject({ allowed: false, retryAfterS: 6 });
    });

    it('counts each key on its own', async () => {
      const { limits, id } = limiter();
      await limits.admit(id, { rpm: 1 });
      expect((await limits.admit(id, { rpm: 1 })).allowed).toBe(false);
      expect((await limits.admit(`${id}-other`, { rpm: 1 })).allowed).toBe(true);
    });

    it('a read without counting (count = false) changes nothing', async () => {
      const { limits, id } = limiter();
      for (let n = 0; n < 3; n += 1) expect((await limits.admit(id, { rpm: 1 }, false)).headers['x-ratelimit-remaining-requests']).toBe('1');
      expect((await limits.admit(id, { rpm: 1 })).allowed).toBe(true);
      expect((await limits.admit(id, { rpm: 1 }, false)).headers['x-ratelimit-remaining-requests']).toBe('0');
    });

    it('forgets a key once its bucket drained: a new minute starts full', async () => {
      const { clock, limits, id } = limiter();
      for (let n = 0; n < 3; n += 1) await limits.admit(id, { rpm: 3 });
      clock.now = T0 + 3_600_000;
      expect((await limits.admit(id, { rpm: 3 })).headers['x-ratelimit-remaining-requests']).toBe('2');
    });
  });

  describe('tokens per minute (GCRA)', () => {
    it('refuses once the charged tokens reach tpm, without using up a request, and drains', async () => {
      const { clock, limits, id } = limiter();
      const both = { rpm: 10, tpm: 100 };
      expect((await limits.admit(id, both)).headers).toMatchObject({ 'x-ratelimit-limit-tokens': '100', 'x-ratelimit-remaining-tokens': '100', 'x-ratelimit-reset-tokens': '0ms' });
      await limits.charge(id, 60, both);
      expect((await limits.admit(id, both)).headers).toMatchObject({ 'x-ratelimit-remaining-tokens': '40', 'x-ratelimit-reset-tokens': '36s' });
      await limits.charge(id, 50, both);
      const refused = await limits.admit(id, both);
      // 110 tokens in a bucket of 100 that drains 100 a minute: room for one token in 6.6 s.
      expect(refused).toMatchObject({ allowed: false, exceeded: 'tokens', retryAfterS: 7 });
      expect(refused.headers).toMatchObject({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '1m6s', 'x-ratelimit-remaining-requests': '8' });
      clock.now = T0 + 7_000;
      expect(await limits.admit(id, both)).toMatchObject({ allowed: true, headers: { 'x-ratelimit-remaining-tokens': '1' } });
    });

    it('a key limited only in tokens gets only the tokens headers', async () => {
      const { limits, id } = limiter();
      await limits.charge(id, 5, { tpm: 10 });
      expect((await limits.admit(id, { tpm: 10 })).headers).toEqual({
        'x-ratelimit-limit-tokens': '10',
        'x-ratelimit-remaining-tokens': '5',
        'x-ratelimit-reset-tokens': '30s',
      });
    });
  });
}
