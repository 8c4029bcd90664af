/**
 * The breaker's states, on a fake clock, and a trial that ends in an error which says
 * nothing about the provider.
 */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../lib/chain/circuit-breaker.js';
import { tryProvider } from '../../lib/chain/try-provider.js';
import { badRequest } from '../../lib/errors.js';
import type { Provider } from '../../lib/providers/types.js';
import { CancelSignal } from '../../lib/upstream/cancel-signal.js';

describe('CircuitBreaker', () => {
  it('opens after N failures in a row, lets one trial through after the cooldown, closes on success', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 1000, () => now);
    breaker.failure('p');
    expect(await breaker.claim('p')).toBe(true);
    breaker.failure('p');
    expect(breaker.isOpen('p')).toBe(true);
    expect(await breaker.claim('p')).toBe(false);
    now = 1000;
    expect(await breaker.claim('p')).toBe(true);
    expect(await breaker.claim('p')).toBe(false);
    breaker.success('p');
    expect(breaker.isOpen('p')).toBe(false);
    expect(await breaker.claim('p')).toBe(true);
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker(2, 1000, () => 0);
    breaker.failure('p');
    breaker.success('p');
    breaker.failure('p');
    expect(breaker.isOpen('p')).toBe(false);
  });

  it('a trial that ends in a request the provider cannot take frees the claim', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1000, () => now);
    breaker.failure('p');
    now = 1000;
    expect(await breaker.claim('p')).toBe(true);
    const refusing = {
      config: { name: 'p', dialect: 'test', baseURL: 'http://127.0.0.1:1', apiKeys: [], keyOptional: true, settings: {} },
      forwardHeaders: [],
      operations: {
        chat: {
          buildRequest: () => {
            throw badRequest('model may not hold "/"', 'model');
          },
        },
      },
      buildModelsRequest: () => ({ url: '', method: 'GET', headers: {} }),
      parseModels: () => [],
    } as Provider;
    await expect(
      tryProvider(
        {
          provider: refusing,
          input: { operation: 'chat', method: 'POST', subpath: '/chat/completions', modelChanged: false, stream: false, headers: {} },
          keys: [],
          retries: 2,
          timeoutMs: 1000,
          idleTimeoutMs: 1000,
          signal: new CancelSignal(),
          record: () => undefined,
        },
        { breaker, retryBaseMs: 1, maxRetryAfterMs: 1000 },
      ),
    ).rejects.toThrow('model may not hold');
    expect(await breaker.claim('p')).toBe(true);
  });
});
