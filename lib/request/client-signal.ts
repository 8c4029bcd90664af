/**
 * The client's leaving, as a `CancelSignal`. On Node it comes from the response's own
 * `close` before the answer was written, which is what the Node adapter's `AbortSignal`
 * is built from too, without building one (and, for a pipelined request still queued
 * behind others, from its connection's `close`); on other runtimes from the request's
 * `AbortSignal`. Either way the reason is a 499 `GatewayError`, and a request whose
 * client has gone before its upstream call starts never sends it.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { GatewayError } from '../errors.js';
import { CancelSignal } from '../upstream/cancel-signal.js';

/**
 * The reason a request aborts with when its client went away: an error of the gateway's
 * own, so that the request still ends through `onError` and gets its log line, with
 * nginx's 499 ("client closed request") as its status, which no client ever receives.
 */
const clientGone = () =>
  new GatewayError({ status: 499, message: 'The client closed the connection before its answer', code: 'client_closed_request' });

/** A signal that aborts when the client of `c` goes away before its answer is written. */
export function clientSignal(c: Context): CancelSignal {
  const signal = new CancelSignal();
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing !== undefined && typeof outgoing.once === 'function') {
    const gone = () => {
      if (!outgoing.writableFinished) signal.abort(clientGone());
    };
    // A pipelined request queued behind others has no socket of its own yet, and its
    // response never closes if the connection does first: the connection's close counts.
    const connection = outgoing.req?.socket;
    if ((outgoing.destroyed && !outgoing.writableFinished) || connection?.destroyed === true) {
      signal.abort(clientGone());
      return signal;
    }
    outgoing.once('close', gone);
    if (connection !== undefined && connection !== null && outgoing.socket !== connection) {
      connection.once('close', gone);
      outgoing.once('close', () => connection.removeListener('close', gone));
    }
    return signal;
  }
  const request = c.req.raw.signal;
  if (request.aborted) signal.abort(clientGone());
  else request.addEventListener('abort', () => signal.abort(clientGone()), { once: true });
  return signal;
}
