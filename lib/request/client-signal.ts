/**
 * The client's leaving, as a `CancelSignal`. On Node it comes from the response's own
 * `close` before the answer was written, which is what the Node adapter's `AbortSignal`
 * is built from too, without building one; on other runtimes from the request's
 * `AbortSignal`.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { CancelSignal } from '../upstream/cancel-signal.js';

/** The reason a request aborts with when its client went away (what the Node adapter says). */
const CLIENT_GONE = 'Client connection prematurely closed.';

/** A signal that aborts when the client of `c` goes away before its answer is written. */
export function clientSignal(c: Context): CancelSignal {
  const signal = new CancelSignal();
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing !== undefined && typeof outgoing.once === 'function') {
    if (outgoing.destroyed && !outgoing.writableFinished) signal.abort(CLIENT_GONE);
    else outgoing.once('close', () => {
      if (!outgoing.writableFinished) signal.abort(CLIENT_GONE);
    });
    return signal;
  }
  const request = c.req.raw.signal;
  if (request.aborted) signal.abort(request.reason);
  else request.addEventListener('abort', () => signal.abort(request.reason), { once: true });
  return signal;
}
