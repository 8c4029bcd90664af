/**
 * Waits between retries: exponential backoff with full jitter, or the provider's own
 * `Retry-After`, and always stopped at once by the client's abort.
 *
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */

import type { CancelSignal } from '../upstream/cancel-signal.js';

/** Full jitter: a random wait in [0, min(capMs, baseMs · 2^retry)) ms. */
export function backoffMs(retry: number, baseMs: number, capMs = 8_000): number {
  return Math.floor(Math.random() * Math.min(capMs, baseMs * 2 ** retry));
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 */
export function sleep(ms: number, signal: CancelSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
    const stop = signal.onAbort(() => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
