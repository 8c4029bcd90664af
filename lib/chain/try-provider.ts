/**
 * Tries one provider of a chain: p-retry around single attempts, with key rotation
 * inside each try (a 401 or 429 moves at once to the next untried key, without backoff
 * and without using up a retry) and the provider's `Retry-After` honoured up to a cap.
 */
import pRetry from 'p-retry';
import type { CallInput, Provider } from '../providers/types.js';
import { attempt, type AttemptOptions, type AttemptResult } from './attempt.js';
import { backoffMs, sleep } from './backoff.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { failureKind, RETRYABLE_STATUSES, RetryableRejection, type AttemptRecord } from './failures.js';

/** The settings a provider try works within. */
export interface TrySettings {
  breaker: CircuitBreaker;
  /** Base of the exponential backoff, in ms. */
  retryBaseMs: number;
  /** A longer `Retry-After` than this (ms) moves on to the next provider instead of waiting. */
  maxRetryAfterMs: number;
}

/** One provider's try. */
export interface ProviderTry extends AttemptOptions {
  provider: Provider;
  /** The adapter input; `apiKey` is set per attempt from `keys`. */
  input: CallInput;
  /** The keys to try, in order (see `credentials.ts`). */
  keys: readonly string[];
  /**
   * True when the keys are the client's own: a 401 or 429 then speaks of the client's key, not
   * of the provider, and does not count against its circuit (one client with an exhausted key
   * must not shut the provider for everyone).
   */
  clientKeys?: boolean;
  /** True when the attempt's timeout is one the client set below the gateway's own: its timeouts do not count either. */
  shortTimeout?: boolean;
  retries: number;
  /** Receives one record per upstream request, with `performance.now()` (ms) when it started. */
  record(attempt: AttemptRecord, started?: number): void;
}

const KEY_ROTATING_STATUSES = new Set([401, 429]);

function errorKind(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}

/**
 * Runs the try. Resolves with a 2xx answer or a provider's non-retryable error response
 * (returned to the client at once); rejects with the last failure when retries ran out,
 * a failure that allows no retry, or the client's abort reason.
 */
export async function tryProvider(job: ProviderTry, settings: TrySettings): Promise<AttemptResult> {
  const name = job.provider.config.name;
  let keyIndex = 0;
  const once = async (): Promise<AttemptResult> => {
    for (;;) {
      const started = performance.now();
      const input = { ...job.input, apiKey: job.keys[keyIndex] };
      const elapsed = () => Math.round(performance.now() - started);
      let result: AttemptResult;
      try {
        result = await attempt(job, input);
      } catch (error) {
        if (job.signal.aborted) throw error;
        job.record({ provider: name, model: input.model, error: errorKind(error), duration_ms: elapsed() }, started);
        const kind = failureKind(error);
        // A failure the next provider may fix counts against this one; any other error
        // (a request this provider cannot take, a timeout the client chose short) tells nothing,
        // but must free a trial claim.
        const clientsTimeout = job.shortTimeout === true && errorKind(error) === 'upstream_timeout';
        if ((kind.retry || kind.fallback) && !clientsTimeout) settings.breaker.failure(name);
        else settings.breaker.release(name);
        throw error;
      }
      job.record({ provider: name, model: input.model, status: result.status, duration_ms: elapsed() }, started);
      if (result.kind === 'answer') {
        settings.breaker.success(name);
        return result;
      }
      if (KEY_ROTATING_STATUSES.has(result.status) && keyIndex + 1 < job.keys.length) {
        keyIndex += 1;
        continue;
      }
      if (!RETRYABLE_STATUSES.has(result.status)) {
        settings.breaker.success(name);
        return result;
      }
      if (job.clientKeys && KEY_ROTATING_STATUSES.has(result.status)) settings.breaker.release(name);
      else settings.breaker.failure(name);
      throw new RetryableRejection(result);
    }
  };
  // Between two tries: rethrow what allows no retry (or waits past the cap), else wait.
  const beforeRetry = async (error: unknown, retriesLeft: number, retriesConsumed: number) => {
    if (job.signal.aborted) throw job.signal.reason;
    const kind = failureKind(error);
    if (!kind.retry) throw error;
    if (retriesLeft === 0) return;
    if (kind.retryAfterMs !== undefined && kind.retryAfterMs > settings.maxRetryAfterMs) throw error;
    await sleep(kind.retryAfterMs ?? backoffMs(retriesConsumed, settings.retryBaseMs), job.signal);
  };
  // The first try runs on its own: most requests succeed at once, and p-retry's setup
  // would cost them several microseconds. Retries, when needed, run under p-retry.
  try {
    return await once();
  } catch (error) {
    await beforeRetry(error, job.retries, 0);
    if (job.retries === 0) throw error;
  }
  return pRetry(once, {
    retries: job.retries - 1,
    minTimeout: 0,
    // p-retry counts; the wait is ours, so that Retry-After and full jitter both fit.
    onFailedAttempt: ({ error, retriesLeft, retriesConsumed }) => beforeRetry(error, retriesLeft, retriesConsumed + 1),
  });
}
