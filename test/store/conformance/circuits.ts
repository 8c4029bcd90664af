/**
 * The circuit breaker's conformance cases: the same states with a shared store's sync as in
 * process alone. The cases across two instances are in the Redis store's test file.
 */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../lib/chain/circuit-breaker.js';
import type { CircuitSync } from '../../../lib/chain/circuit-sync.js';

/** Runs the cases; `open` gives the sync of a fresh instance, or undefined in process. */
export function circuitConformance(open: () => CircuitSync | undefined): void {
  let unique = 0;
  const setup = (failures: number) => {
    const clock = { now: 1_000_000 };
    return { clock, breaker: new CircuitBreaker(failures, 1000, () => clock.now, open()), provider: `p${++unique}-${Math.random().toString(36).slice(2)}` };
  };

  describe('circuit breaker', () => {
    it('opens after N failures in a row, lets one trial through after the cooldown, closes on success', async () => {
      const { clock, breaker, provider } = setup(2);
      breaker.failure(provider);
      expect(await breaker.claim(provider)).toBe(true);
      breaker.failure(provider);
      expect(breaker.isOpen(provider)).toBe(true);
      expect(await breaker.claim(provider)).toBe(false);
      clock.now += 1000;
      expect(await breaker.claim(provider)).toBe(true);
      expect(await breaker.claim(provider)).toBe(false);
      breaker.success(provider);
      expect(breaker.isOpen(provider)).toBe(false);
      expect(await breaker.claim(provider)).toBe(true);
    });

    it('a failed trial opens it for another cooldown', async () => {
      const { clock, breaker, provider } = setup(1);
      breaker.failure(provider);
      clock.now += 1000;
      expect(await breaker.claim(provider)).toBe(true);
      breaker.failure(provider);
      expect(await breaker.claim(provider)).toBe(false);
      clock.now += 999;
      expect(await breaker.claim(provider)).toBe(false);
      clock.now += 1;
      expect(await breaker.claim(provider)).toBe(true);
    });

    it('a success in between resets the count', async () => {
      const { breaker, provider } = setup(2);
      breaker.failure(provider);
      breaker.success(provider);
      breaker.failure(provider);
      expect(breaker.isOpen(provider)).toBe(false);
    });

    it('a released trial frees the claim', async () => {
      const { clock, breaker, provider } = setup(1);
      breaker.failure(provider);
      clock.now += 1000;
      expect(await breaker.claim(provider)).toBe(true);
      breaker.release(provider);
      expect(await breaker.claim(provider)).toBe(true);
    });
  });
}
