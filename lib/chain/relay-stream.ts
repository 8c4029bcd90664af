/**
 * Relays an upstream event stream to the client as it arrives: the client's bytes from
 * each upstream read (converted or passed on, and inspected for the end, an error and
 * usage, by `client-chunks.ts`) go out at once, in one write. A stream that breaks after
 * its first byte (upstream error, an error event, an end before the finish, silence past
 * the idle timeout) ends with the format's error event and no `[DONE]`, so a client never
 * mistakes a cut stream for a finished one.
 */
import { GatewayError } from '../errors.js';
import type { StreamFormat, StreamState } from '../formats/stream-format.js';
import { encodeSse } from '../sse/encode-sse.js';

/** The upstream side of a stream that already produced its first client events. */
export interface OpenStream {
  /** Client bytes read before committing to this stream: its first events. */
  first: Uint8Array;
  /** The rest of the client's bytes, one chunk per upstream read (see `client-chunks.ts`). */
  chunks: AsyncIterator<Uint8Array>;
  format: StreamFormat;
  /** What the chunks showed so far; they update it as they are read. */
  state: StreamState;
  provider: string;
  /** Longest silence allowed between two upstream reads, in ms. */
  idleTimeoutMs: number;
  /** Aborts the upstream request (client gone, or the relay gave up). */
  abort(reason: unknown): void;
  /** Called once when the relay ends, whatever the reason. */
  onEnd?(state: StreamState): void;
  /**
   * Awaited once, when a read shows the stream's end, before that read's bytes (its last
   * events) go to the client: the gateway stores a finished response there, so that the
   * client's next request can continue it. Must not throw.
   */
  beforeFinish?(state: StreamState, provider: string): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Builds the client's byte stream. Nothing is buffered beyond one upstream read.
 */
export function relayStream(open: OpenStream): ReadableStream<Uint8Array> {
  let ended = false;
  let waiting = false;
  let finishing = false;
  const failure = (message: string, code: string) => new GatewayError({ status: 502, message, code, provider: open.provider });
  const streamError = () => failure(open.state.error?.message ?? 'Stream error', open.state.error?.code ?? 'upstream_stream_error');
  // One timer for the whole stream, re-armed before each wait on the upstream; it only
  // counts while the relay waits on the upstream, not while the client is slow to read.
  let idleError: GatewayError | undefined;
  const idle = setTimeout(() => {
    if (!waiting) return;
    idleError = new GatewayError({
      status: 504,
      message: `Provider ${open.provider} went silent for ${open.idleTimeoutMs} ms mid-stream`,
      code: 'stream_idle_timeout',
      provider: open.provider,
    });
    open.abort(idleError);
  }, open.idleTimeoutMs);

  const end = (controller: ReadableStreamDefaultController<Uint8Array>, error?: GatewayError) => {
    if (ended) return;
    ended = true;
    clearTimeout(idle);
    if (error) {
      open.state.error ??= { message: error.message, code: error.code ?? undefined };
      controller.enqueue(encoder.encode(encodeSse(open.format.errorEvent(error, open.state))));
      open.abort(error);
    }
    controller.close();
    open.onEnd?.(open.state);
  };

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (open.state.error) return end(controller, streamError());
    if (!open.state.finished) return end(controller, failure(`Provider ${open.provider} closed the stream before it finished`, 'stream_truncated'));
    return end(controller);
  };

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      // A stream whose first read already holds its end (a short answer) is stored before it goes out too.
      if (open.state.finished && !open.state.error && open.beforeFinish) {
        finishing = true;
        await open.beforeFinish(open.state, open.provider);
      }
      if (open.first.byteLength > 0) controller.enqueue(open.first);
      if (open.state.error) end(controller, streamError());
    },
    async pull(controller) {
      try {
        for (;;) {
          waiting = true;
          idle.refresh();
          const next = await open.chunks.next();
          waiting = false;
          if (next.done) return finish(controller);
          if (open.state.error) return end(controller, streamError());
          if (open.state.finished && !finishing && open.beforeFinish) {
            finishing = true;
            await open.beforeFinish(open.state, open.provider);
          }
          if (next.value.byteLength > 0) {
            controller.enqueue(next.value);
            return;
          }
        }
      } catch (error) {
        waiting = false;
        const gatewayError =
          idleError ??
          (error instanceof GatewayError
            ? error
            : failure(`Provider ${open.provider} stream failed: ${(error as Error)?.message ?? String(error)}`, 'upstream_stream_error'));
        end(controller, gatewayError);
      }
    },
    cancel(reason) {
      ended = true;
      clearTimeout(idle);
      open.abort(reason);
      void open.chunks.return?.(undefined);
      open.onEnd?.(open.state);
    },
  });
}
