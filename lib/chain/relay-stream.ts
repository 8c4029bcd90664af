/**
 * Relays an upstream event stream to the client as it arrives: the events of each
 * upstream read are converted (for translated providers), inspected (end, error, usage)
 * and written as SSE at once, in one write. A stream that breaks after its first byte
 * (upstream error, an error event, an end before the finish, silence past the idle
 * timeout) ends with the format's error event and no `[DONE]`, so a client never
 * mistakes a cut stream for a finished one.
 */
import { GatewayError } from '../errors.js';
import type { StreamFormat, StreamState } from '../formats/stream-format.js';
import type { SseEvent, StreamConverter } from '../providers/types.js';
import { encodeSse } from '../sse/encode-sse.js';

/** The upstream side of a stream that already produced its first client events. */
export interface OpenStream {
  /** Client events (encoded) converted from what was read before committing to this stream. */
  first: string;
  /** The rest of the upstream's events, one batch per upstream read, not converted yet. */
  events: AsyncIterator<SseEvent[]>;
  converter?: StreamConverter;
  format: StreamFormat;
  state: StreamState;
  provider: string;
  /** Longest silence allowed between two upstream reads, in ms. */
  idleTimeoutMs: number;
  /** Aborts the upstream request (client gone, or the relay gave up). */
  abort(reason: unknown): void;
  /** Called once when the relay ends, whatever the reason. */
  onEnd?(state: StreamState): void;
}

const encoder = new TextEncoder();

function encodeAll(events: SseEvent[]): string {
  let text = '';
  for (const event of events) text += encodeSse(event);
  return text;
}

/** Runs the format's inspection over client events that are encoded as `text`. */
function inspect(format: StreamFormat, events: SseEvent[], text: string, state: OpenStream['state']): void {
  if (format.inspectBatch) format.inspectBatch(events, text, state);
  else for (const event of events) format.inspect(event, state);
}

/**
 * Converts, encodes and inspects a batch of upstream events.
 * @returns the client's SSE text for the batch ('' when it converts to nothing)
 */
export function convertBatch(batch: SseEvent[], open: Pick<OpenStream, 'converter' | 'format' | 'state'>): string {
  const events = open.converter ? batch.flatMap((event) => (open.converter as StreamConverter).push(event)) : batch;
  const text = encodeAll(events);
  inspect(open.format, events, text, open.state);
  return text;
}

/**
 * Builds the client's byte stream. Nothing is buffered beyond one upstream read.
 */
export function relayStream(open: OpenStream): ReadableStream<Uint8Array> {
  let ended = false;
  let waiting = false;
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
      controller.enqueue(encoder.encode(encodeSse(open.format.errorEvent(error))));
      open.abort(error);
    }
    controller.close();
    open.onEnd?.(open.state);
  };

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (open.converter) {
      const tail = open.converter.end();
      const text = encodeAll(tail);
      inspect(open.format, tail, text, open.state);
      if (text !== '') controller.enqueue(encoder.encode(text));
    }
    if (open.state.error) return end(controller, streamError());
    if (!open.state.finished) return end(controller, failure(`Provider ${open.provider} closed the stream before it finished`, 'stream_truncated'));
    return end(controller);
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (open.first !== '') controller.enqueue(encoder.encode(open.first));
      if (open.state.error) end(controller, streamError());
    },
    async pull(controller) {
      try {
        for (;;) {
          waiting = true;
          idle.refresh();
          const next = await open.events.next();
          waiting = false;
          if (next.done) return finish(controller);
          const text = convertBatch(next.value, open);
          if (open.state.error) return end(controller, streamError());
          if (text !== '') {
            controller.enqueue(encoder.encode(text));
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
      void open.events.return?.(undefined);
      open.onEnd?.(open.state);
    },
  });
}
