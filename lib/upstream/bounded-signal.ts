/**
 * A signal that aborts when the client's does or when a time bound passes, whichever is
 * first; the one way the gateway ties an upstream request to its client and its timeout.
 * Both are `CancelSignal`s (no `AbortSignal.any`/`AbortSignal.timeout`, which cost and
 * which Node 20 may collect before they fire: https://github.com/nodejs/node/issues/57736).
 * The timer is held until `stopTimer()` or `done()`.
 */
import { CancelSignal } from './cancel-signal.js';

/** A bounded signal and the calls that end its bounds. */
export interface BoundedSignal {
  signal: CancelSignal;
  /** Aborts now with `reason` (the relay giving up, an idle timeout). */
  abort(reason: unknown): void;
  /** Drops the time bound; the client's abort still goes through. */
  stopTimer(): void;
  /** Drops the time bound and the link to the client; idempotent. */
  done(): void;
}

const timeoutError = (ms: number) => () => new DOMException(`No answer within ${ms} ms`, 'TimeoutError');

/**
 * @param ms the bound, in ms
 * @param reason builds the abort reason when the bound passes (a `TimeoutError`
 *   DOMException by default); built only then, since an Error's stack trace costs
 */
export function boundedSignal(client: CancelSignal, ms: number, reason: () => unknown = timeoutError(ms)): BoundedSignal {
  const signal = new CancelSignal();
  const unlink = client.onAbort(() => signal.abort(client.reason));
  const timer = setTimeout(() => signal.abort(reason()), ms);
  return {
    signal,
    abort: (why) => signal.abort(why),
    stopTimer: () => clearTimeout(timer),
    done() {
      clearTimeout(timer);
      unlink();
    },
  };
}
