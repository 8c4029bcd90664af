/**
 * Splits a byte stream of server-sent events into whole events without decoding them,
 * for a relay that passes events on unchanged: each read yields the bytes of the events
 * it completed, up to and including the blank line that ends the last of them; the rest
 * waits for the next read. No event is ever cut in two, and nothing is copied unless an
 * event spans two reads.
 *
 * Byte framing needs LF line ends. The first CR seen switches the stream, from the held
 * bytes on, to `decodeSse` (every WHATWG line end) and re-encodes its events with LF, so that what comes out is always LF-framed. As in `decode-sse.ts`, a last
 * event left without its blank line is still delivered, and one event over 16 Mi bytes
 * counts as a broken stream.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { GatewayError } from '../errors.js';
import { decodeSse } from './decode-sse.js';
import { encodeEvents } from './encode-sse.js';

/** The most bytes one event may hold before the stream counts as broken. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const EVENT_END = Buffer.from('\n\n');

const oversized = () => new GatewayError({ status: 502, message: 'Upstream sent an oversized stream event', code: 'invalid_stream' });

/** Whether `bytes` holds anything but LF (what a stream may leave between events). */
function hasContent(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== LF) return true;
  return false;
}

/**
 * Yields, for each read of `chunks`, the LF-framed bytes of the events that read
 * completed (reads that complete none yield nothing).
 * @throws GatewayError 502 (`invalid_stream`) when one event exceeds 16 Mi bytes
 */
export async function* frameSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  let held: Buffer | undefined;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      if (chunk.indexOf(CR) !== -1) {
        yield* reframe(held === undefined ? chunk : Buffer.concat([held, chunk]), iterator);
        return;
      }
      const bytes = held === undefined ? chunk : Buffer.concat([held, chunk]);
      // An event end that straddles the two reads ("\n" | "\n") is found in the joined bytes.
      const end = bytes.lastIndexOf(EVENT_END);
      held = end === -1 ? bytes : end + 2 < bytes.byteLength ? bytes.subarray(end + 2) : undefined;
      if (held !== undefined && held.byteLength > MAX_EVENT_BYTES) throw oversized();
      if (end !== -1) yield bytes.subarray(0, end + 2);
    }
    if (held !== undefined && hasContent(held)) yield Buffer.concat([held, EVENT_END]);
  } finally {
    // Left early (the consumer returned, or a throw): the upstream body is let go too.
    await iterator.return?.();
  }
}

/**
 * The rest of a stream that uses CR line ends: decoded by `decodeSse` (the WHATWG rules),
 * yielded per read as the LF encoding of the events it completed.
 */
async function* reframe(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Buffer> {
  async function* reads(): AsyncGenerator<Uint8Array> {
    yield first;
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
  }
  for await (const events of decodeSse(reads())) yield Buffer.from(encodeEvents(events));
}
