/**
 * A signal that aborts when the client's does or when a time bound passes, whichever is
 * first. Not `AbortSignal.any([client, AbortSignal.timeout(ms)])`: Node 20 may collect a
 * timeout signal that only `any()` refers to, and then it never fires, leaving the
 * request waiting forever (https://github.com/nodejs/node/issues/57736). This timer is
 * held until `done()`.
 */

/** A bounded signal and the call that releases its timer and listener. */
export interface BoundedSignal {
  signal: AbortSignal;
  done(): void;
}

/**
 * @param ms the bound, in ms; passing it aborts with a `TimeoutError` DOMException
 */
export function boundedSignal(client: AbortSignal, ms: number): BoundedSignal {
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(client.reason);
  if (client.aborted) onClientAbort();
  else client.addEventListener('abort', onClientAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${ms} ms`, 'TimeoutError')), ms);
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      client.removeEventListener('abort', onClientAbort);
    },
  };
}
