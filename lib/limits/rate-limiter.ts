/**
 * Per-key rate limits: requests per minute and tokens per minute, in fixed one-minute
 * windows. A request is counted when it is admitted; its tokens (from the provider's
 * `usage`, streams included) when its answer is complete, so a request that starts while
 * tokens remain may end past the limit, and the next one waits for the window to turn.
 * The answer's headers are OpenAI's: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`.
 *
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
import type { CounterStore } from './counter-store.js';
import { formatDuration } from './format-duration.js';

const WINDOW_MS = 60_000;

/** A key's limits; an absent one is not limited. */
export interface Limits {
  rpm?: number;
  tpm?: number;
}

/** The verdict on one request. */
export interface Admission {
  allowed: boolean;
  /** Which limit refused it. */
  exceeded?: 'requests' | 'tokens';
  /** Whole seconds until the window turns (for `Retry-After`). */
  retryAfterS: number;
  /** `x-ratelimit-*` headers for every answer to this request. */
  headers: Record<string, string>;
}

/** Counts requests and tokens per key. */
export class RateLimiter {
  /** @param now the clock, in ms since the epoch */
  constructor(
    private readonly store: CounterStore,
    private readonly now: () => number = Date.now,
  ) {}

  #window(): { start: number; resetMs: number } {
    const now = this.now();
    const start = now - (now % WINDOW_MS);
    return { start, resetMs: start + WINDOW_MS - now };
  }

  /** Admits (and counts) one request of key `id`, or says which limit it is over. */
  async admit(id: string, limits: Limits): Promise<Admission> {
    const { start, resetMs } = this.#window();
    const tokens = limits.tpm === undefined ? 0 : await this.store.get(`tpm:${id}:${start}`);
    const tokensLeft = limits.tpm === undefined || tokens < limits.tpm;
    let requests = 0;
    if (limits.rpm !== undefined) {
      const name = `rpm:${id}:${start}`;
      // A request refused for its tokens does not use up one of the window's requests.
      requests = tokensLeft ? await this.store.increment(name, 1, start + WINDOW_MS) : await this.store.get(name);
    }
    const exceeded = !tokensLeft ? 'tokens' : limits.rpm !== undefined && requests > limits.rpm ? 'requests' : undefined;
    const reset = formatDuration(resetMs);
    const headers: Record<string, string> = {};
    if (limits.rpm !== undefined) {
      headers['x-ratelimit-limit-requests'] = String(limits.rpm);
      headers['x-ratelimit-remaining-requests'] = String(Math.max(0, limits.rpm - requests));
      headers['x-ratelimit-reset-requests'] = reset;
    }
    if (limits.tpm !== undefined) {
      headers['x-ratelimit-limit-tokens'] = String(limits.tpm);
      headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, limits.tpm - tokens));
      headers['x-ratelimit-reset-tokens'] = reset;
    }
    return { allowed: exceeded === undefined, exceeded, retryAfterS: Math.max(1, Math.ceil(resetMs / 1000)), headers };
  }

  /** Counts `tokens` (prompt and completion) against key `id` in the current window. */
  async charge(id: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    const { start } = this.#window();
    await this.store.increment(`tpm:${id}:${start}`, tokens, start + WINDOW_MS);
  }
}
