/**
 * Decodes a byte stream of server-sent events by the WHATWG rules (eventsource-parser):
 * CRLF, CR or LF line ends, comments, `event:`/`data:`/`id:` fields, multi-line data,
 * events split across reads or several in one read. Bytes go through a streaming UTF-8
 * decoder, so a character split across two reads survives. Unlike a browser, a last
 * event left without its blank line at the end of the stream is still delivered, but
 * not a last line cut in half by a broken stream (see `isWholeLastLine`).
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { GatewayError } from '../errors.js';
import type { SseEvent } from '../providers/types.js';

/** The most characters one event may buffer before the stream counts as broken. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** The parser's event as the gateway's: fields left out rather than undefined. */
const toEvent = (event: EventSourceMessage): SseEvent => (event.id === undefined && event.event === undefined ? { data: event.data } : event);

/**
 * Whether a last line the upstream left without its line end is whole after all: a
 * `data:` line whose value is `[DONE]` or parses as JSON (a server that ends its stream
 * without the final line break). Anything else was cut in half by a broken stream.
 */
export function isWholeLastLine(line: string): boolean {
  if (!line.startsWith('data:')) return false;
  const value = line.slice(line.startsWith('data: ') ? 6 : 5);
  if (value === '[DONE]') return true;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Yields, for each read of `chunks`, the events that read completed (reads that complete
 * none yield nothing), so that events which arrived together are handled together.
 * @throws GatewayError 502 (`invalid_stream`) when one event exceeds 16 Mi characters
 */
export async function* decodeSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent[]> {
  let batch: SseEvent[] = [];
  let overflow = false;
  const parser = createParser({
    onEvent: (event) => batch.push(toEvent(event)),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = true;
    },
    maxBufferSize: MAX_EVENT_CHARS,
  });
  const decoder = new TextDecoder();
  // The parser gets whole lines only: a line the upstream cut in half must never reach
  // the client as an event, so the text after a read's last line end waits here.
  let partial = '';
  for await (const chunk of chunks) {
    const text = partial + decoder.decode(chunk, { stream: true });
    const lineEnd = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1;
    partial = text.slice(lineEnd);
    if (partial.length > MAX_EVENT_CHARS) overflow = true;
    parser.feed(lineEnd === text.length ? text : text.slice(0, lineEnd));
    if (overflow) throw new GatewayError({ status: 502, message: 'Upstream sent an oversized stream event', code: 'invalid_stream' });
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  // A blank line ends an event the upstream left without one; a cut last line is dropped.
  partial += decoder.decode();
  parser.feed(isWholeLastLine(partial) ? `${partial}\n\n` : '\n\n');
  if (batch.length > 0) yield batch;
}

/**
 * Parses text that holds whole events (every one ended by its blank line), at once.
 * @returns the events, in order; comments and fields without data give none
 */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createParser({
    onEvent: (event) => events.push(toEvent(event)),
  });
  parser.feed(text);
  return events;
}
