/**
 * The one error a shared state store raises when it cannot answer in time (down, slow,
 * restarting, or known to be down and not asked at all). Every caller has a fallback for
 * it, so that a store fault never fails a request: the cache is bypassed, rate limits follow
 * `GATEWAY_LIMITS_ON_STORE_ERROR`, keys come from the last good copy, the breaker stays in
 * process.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
