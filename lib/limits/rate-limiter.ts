/**
 * Per-key rate limits: requests per minute and tokens per minute (`limits/gcra.ts`), kept in
 * a {@link LimitStore} (in process, or shared by every instance in Redis). A request is
 * counted when it is admitted; its tokens (from the provider's `usage`, streams included)
 * when its answer is complete, so a request that starts while tokens remain may end past
 * the limit, and the next one waits for the bucket to drain. The answer's headers are
 * OpenAI's: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`.
 *
 * When a shared store cannot answer, `onStoreError` decides: `open` admits the request
 * uncounted (and sends no limit headers, since nothing is known), `closed` refuses it.
 *
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
import { StoreUnavailableError } from '../store/store-unavailable.js';
import { formatDuration } from './format-duration.js';
import type { LimitCheck, Limits } from './gcra.js';
import type { LimitStore } from './limit-store.js';

export type { Limits } from './gcra.js';

/** `GATEWAY_LIMITS_ON_STORE_ERROR`. */
export type StoreErrorPolicy = 'open' | 'closed';

/** The verdict on one request. */
export interface Admission {
  allowed: boolean;
  /** Which limit refused it; `store` when the store could not answer and the policy is `closed`. */
  exceeded?: 'requests' | 'tokens' | 'store';
  /** Whole seconds until it would be admitted (for `Retry-After`). */
  retryAfterS: number;
  /** `x-ratelimit-*` headers for every answer to this request. */
  headers: Record<string, string>;
}

function limitHeaders(limits: Limits, check: LimitCheck): Record<string, string> {
  const headers: Record<string, string> = {};
  if (limits.rpm !== undefined) {
    headers['x-ratelimit-limit-requests'] = String(limits.rpm);
    headers['x-ratelimit-remaining-requests'] = String(check.requestsRemaining);
    headers['x-ratelimit-reset-requests'] = formatDuration(check.requestsResetMs);
  }
  if (limits.tpm !== undefined) {
    headers['x-ratelimit-limit-tokens'] = String(limits.tpm);
    headers['x-ratelimit-remaining-tokens'] = String(check.tokensRemaining);
    headers['x-ratelimit-reset-tokens'] = formatDuration(check.tokensResetMs);
  }
  return headers;
}

/** Counts requests and tokens per key. */
export class RateLimiter {
  /**
   * @param onStoreError what a request gets when the store cannot answer
   * @param now the clock, in ms since the epoch
   */
  constructor(
    private readonly store: LimitStore,
    private readonly onStoreError: StoreErrorPolicy = 'open',
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits (and, unless `count` is false, counts) one request of key `id`, or says which
   * limit it is over. With `count` false it only reads, for the headers of an answer that
   * must not use up the key's requests (a 403, a malformed request).
   */
  async admit(id: string, limits: Limits, count = true): Promise<Admission> {
    let check: LimitCheck;
    try {
      check = await this.store.admit(id, limits, this.now(), count);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (this.onStoreError === 'open' || !count) return { allowed: true, retryAfterS: 0, headers: {} };
      return { allowed: false, exceeded: 'store', retryAfterS: 1, headers: {} };
    }
    const allowed = check.verdict === 'allowed';
    return {
      allowed,
      exceeded: allowed ? undefined : check.verdict === 'tokens' ? 'tokens' : 'requests',
      retryAfterS: allowed ? 0 : Math.max(1, Math.ceil(check.retryAfterMs / 1000)),
      headers: limitHeaders(limits, check),
    };
  }

  /**
   * Counts `tokens` (prompt and completion) against key `id`.
   * @throws StoreUnavailableError when the store cannot answer (the caller logs it)
   */
  async charge(id: string, tokens: number, limits: Limits): Promise<void> {
    if (tokens <= 0 || limits.tpm === undefined) return;
    await this.store.charge(id, tokens, { ...limits, tpm: limits.tpm }, this.now());
  }
}
