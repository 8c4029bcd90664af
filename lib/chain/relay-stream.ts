/**
 * Relays an upstream event stream to the client as it arrives: each upstream event is
 * converted (for translated providers), inspected (end, error, usage) and written as SSE
 * at once. A stream that breaks after its first byte (upstream error, an error event,
 * an end before the finish, silence past the idle timeout) ends with the format's error
 * event and no `[DONE]`, so a client never mistakes a cut stream for a finished one.
 */
import { GatewayError } from '../errors.js';
import type { StreamFormat, StreamState } from '../formats/stream-format.js';
import type { SseEvent, StreamConverter } from '../providers/types.js';
import { encodeSse } from '../sse/encode-sse.js';

/** The upstream side of a stream that already produced its first client events. */
export interface OpenStream {
  /** Client events converted from what was read before committing to this stream. */
  first: SseEvent[];
  /** The rest of the upstream's events, undecoded by any converter yet. */
  events: AsyncIterator<SseEvent>;
  converter?: StreamConverter;
  format: StreamFormat;
  state: StreamState;
  provider: string;
  /** Longest silence allowed between two upstream events, in ms. */
  idleTimeoutMs: number;
  /** Aborts the upstream request (client gone, or the relay gave up). */
  abort(reason: unknown): void;
  /** Called once when the relay ends, whatever the reason. */
  onEnd?(state: StreamState): void;
}

const encoder = new TextEncoder();

function encodeAll(events: SseEvent[]): Uint8Array {
  let text = '';
  for (const event of events) text += encodeSse(event);
  return encoder.encode(text);
}

/** Converts and inspects one upstream event; returns the client events. */
export function convertEvent(event: SseEvent, open: Pick<OpenStream, 'converter' | 'format' | 'state'>): SseEvent[] {
  const out = open.converter ? open.converter.push(event) : [event];
  for (const item of out) open.format.inspect(item, open.state);
  return out;
}

/** Rejects with a 504 GatewayError when `promise` takes longer than `ms`. */
function withIdleTimeout<T>(promise: Promise<T>, ms: number, provider: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GatewayError({ status: 504, message: `Provider ${provider} went silent for ${ms} ms mid-stream`, code: 'stream_idle_timeout', provider })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Builds the client's byte stream. Nothing is buffered beyond one upstream event.
 */
export function relayStream(open: OpenStream): ReadableStream<Uint8Array> {
  let ended = false;
  const end = (controller: ReadableStreamDefaultController<Uint8Array>, error?: GatewayError) => {
    if (ended) return;
    ended = true;
    if (error) {
      open.state.error ??= { message: error.message, code: error.code ?? undefined };
      controller.enqueue(encoder.encode(encodeSse(open.format.errorEvent(error))));
      open.abort(error);
    }
    controller.close();
    open.onEnd?.(open.state);
  };
  const failure = (message: string, code: string) =>
    new GatewayError({ status: 502, message, code, provider: open.provider });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (open.first.length > 0) controller.enqueue(encodeAll(open.first));
      if (open.state.error) end(controller, failure(open.state.error.message, open.state.error.code ?? 'upstream_stream_error'));
    },
    async pull(controller) {
      try {
        for (;;) {
          const next = await withIdleTimeout(open.events.next(), open.idleTimeoutMs, open.provider);
          if (next.done) {
            if (open.converter) {
              const tail = open.converter.end();
              for (const item of tail) open.format.inspect(item, open.state);
              if (tail.length > 0) controller.enqueue(encodeAll(tail));
            }
            if (open.state.error) return end(controller, failure(open.state.error.message, open.state.error.code ?? 'upstream_stream_error'));
            if (!open.state.finished) {
              return end(controller, failure(`Provider ${open.provider} closed the stream before it finished`, 'stream_truncated'));
            }
            return end(controller);
          }
          const out = convertEvent(next.value, open);
          if (open.state.error) return end(controller, failure(open.state.error.message, open.state.error.code ?? 'upstream_stream_error'));
          if (out.length > 0) {
            controller.enqueue(encodeAll(out));
            return;
          }
        }
      } catch (error) {
        const gatewayError =
          error instanceof GatewayError
            ? error
            : failure(`Provider ${open.provider} stream failed: ${(error as Error)?.message ?? String(error)}`, 'upstream_stream_error');
        end(controller, gatewayError);
      }
    },
    cancel(reason) {
      ended = true;
      open.abort(reason);
      void open.events.return?.();
      open.onEnd?.(open.state);
    },
  });
}
