/**
 * Requests and tokens per minute as GCRA (the generic cell rate algorithm), in its
 * continuous-state leaky bucket form: each limit is a bucket that holds at most `limit`
 * units and drains continuously, `limit` units a minute. A request adds 1 to the requests
 * bucket, an answer's tokens go into the tokens bucket. A key may spend its whole minute at
 * once, then one more request every `60 s / rpm`; unlike fixed one-minute windows, no
 * boundary lets twice the limit through.
 *
 * The buckets keep levels rather than arrival times, so that what a request adds is a whole
 * number: a burst of exactly `rpm` requests is admitted exactly, without float rounding at
 * epoch-sized times. This is the in-process arithmetic; `store/redis/redis-limit-store.ts`
 * runs the same steps in a Lua script, and the conformance suite holds the two to one
 * behaviour.
 *
 * @see https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm (the two equivalent forms)
 * @see https://brandur.org/rate-limiting
 */

/** The period both limits are counted over, in ms. */
export const PERIOD_MS = 60_000;

/** A key's limits; an absent one is not limited. */
export interface Limits {
  rpm?: number;
  tpm?: number;
}

/** A key's buckets: their levels (requests, tokens) when last written, at `at` (ms since the epoch). */
export interface LimitState {
  requests: number;
  tokens: number;
  at: number;
}

/** What a check found, in whole units and ms. */
export interface LimitCheck {
  /** `allowed`, or the limit that refused the request. */
  verdict: 'allowed' | 'requests' | 'tokens';
  /** Requests left right now (after this one, when it was counted). */
  requestsRemaining: number;
  /** Time until the requests bucket is empty again, in ms. */
  requestsResetMs: number;
  tokensRemaining: number;
  tokensResetMs: number;
  /** When refused: time until the request would be admitted, in ms. */
  retryAfterMs: number;
}

/**
 * Levels and times are doubles, and a level drained by a fraction of a minute carries a
 * rounding error in its last bits (2 - 1/3 - 1 is not exactly 2/3); whole ms and whole units
 * are rounded with this much slack, so that 20000.000000000004 ms reads as 20 s.
 */
const SLACK = 1e-6;
const ceil = (value: number) => Math.ceil(value - SLACK);
const floor = (value: number) => Math.floor(value + SLACK);

/** The levels at `nowMs`, drained since they were written (never below 0). */
function drained(state: LimitState | undefined, limits: Limits, nowMs: number): LimitState {
  if (state === undefined) return { requests: 0, tokens: 0, at: nowMs };
  const elapsed = Math.max(0, nowMs - state.at);
  return {
    requests: limits.rpm === undefined ? 0 : Math.max(0, state.requests - (elapsed * limits.rpm) / PERIOD_MS),
    tokens: limits.tpm === undefined ? 0 : Math.max(0, state.tokens - (elapsed * limits.tpm) / PERIOD_MS),
    at: Math.max(state.at, nowMs),
  };
}

/**
 * Checks one request against `limits` at `nowMs` and, when it is admitted and `count` is
 * true, counts it. A request refused for its tokens or its requests is not counted.
 * @returns the check, and the new state when the request was counted
 */
export function checkLimits(state: LimitState | undefined, limits: Limits, nowMs: number, count: boolean): { check: LimitCheck; next?: LimitState } {
  const now = drained(state, limits, nowMs);
  const check: LimitCheck = { verdict: 'allowed', requestsRemaining: 0, requestsResetMs: 0, tokensRemaining: 0, tokensResetMs: 0, retryAfterMs: 0 };
  if (limits.tpm !== undefined) {
    if (now.tokens >= limits.tpm - SLACK) {
      check.verdict = 'tokens';
      check.retryAfterMs = ceil(((now.tokens - limits.tpm + 1) * PERIOD_MS) / limits.tpm);
    }
    check.tokensRemaining = Math.max(0, floor(limits.tpm - now.tokens));
    check.tokensResetMs = ceil((now.tokens * PERIOD_MS) / limits.tpm);
  }
  let next: LimitState | undefined;
  if (limits.rpm !== undefined) {
    if (check.verdict === 'allowed' && now.requests + 1 > limits.rpm + SLACK) {
      check.verdict = 'requests';
      check.retryAfterMs = ceil(((now.requests + 1 - limits.rpm) * PERIOD_MS) / limits.rpm);
    }
    if (check.verdict === 'allowed' && count) next = { ...now, requests: now.requests + 1 };
    const level = next?.requests ?? now.requests;
    check.requestsRemaining = Math.max(0, floor(limits.rpm - level));
    check.requestsResetMs = ceil((level * PERIOD_MS) / limits.rpm);
  }
  return { check, next };
}

/** Adds `tokens` (prompt and completion) to the tokens bucket of a key limited to `tpm`. */
export function chargeTokens(state: LimitState | undefined, tokens: number, limits: Limits & { tpm: number }, nowMs: number): LimitState {
  const now = drained(state, limits, nowMs);
  return { ...now, tokens: now.tokens + tokens };
}

/** How long a state matters: the time both buckets take to drain, in ms. */
export function stateLifetimeMs(state: LimitState, limits: Limits): number {
  const requests = limits.rpm === undefined ? 0 : (state.requests * PERIOD_MS) / limits.rpm;
  const tokens = limits.tpm === undefined ? 0 : (state.tokens * PERIOD_MS) / limits.tpm;
  return ceil(Math.max(requests, tokens));
}
