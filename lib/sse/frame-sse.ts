/**
 * Splits a byte stream of server-sent events into whole events without decoding them,
 * for a relay that passes events on unchanged: each read yields the bytes of the events
 * it completed, up to and including the blank line that ends the last of them; the rest
 * waits for the next read. No event is ever cut in two, and nothing is copied unless an
 * event spans two reads.
 *
 * Byte framing needs LF line ends. The first CR seen switches the stream, from the held
 * bytes on, to `decodeSse` (every WHATWG line end) and re-encodes its events with LF, so
 * that what comes out is always LF-framed. As in `decode-sse.ts`, a last event left
 * without its blank line is still delivered, but not a last line cut in half, and one
 * event over 16 Mi bytes counts as a broken stream.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { GatewayError } from '../errors.js';
import { decodeSse, isWholeLastLine } from './decode-sse.js';
import { encodeEvents } from './encode-sse.js';

/** The most bytes one event may hold before the stream counts as broken. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const EVENT_END = Buffer.from('\n\n');
const LINE_END = Buffer.from('\n');

const oversized = () => new GatewayError({ status: 502, message: 'Upstream sent an oversized stream event', code: 'invalid_stream' });

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** `bytes` without the UTF-8 byte order mark a stream may begin with (as a decoder drops it). */
const withoutBom = (bytes: Buffer) => (bytes.subarray(0, BOM.byteLength).equals(BOM) ? bytes.subarray(BOM.byteLength) : bytes);

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
  // The reads of an event still open, kept apart (not joined per read, which would make a
  // large event cost time quadratic in its reads) until one ends an event.
  let held: Buffer[] = [];
  let heldBytes = 0;
  let first = true;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      if (chunk.indexOf(CR) !== -1) {
        yield* reframe(Buffer.concat([...held, chunk]), iterator);
        return;
      }
      // The last event end in this read, or one that straddles the two reads ("\n" | "\n").
      const end = chunk.lastIndexOf(EVENT_END);
      const straddles = end === -1 && heldBytes > 0 && chunk[0] === LF && held[held.length - 1].at(-1) === LF;
      const cut = end !== -1 ? end + EVENT_END.byteLength : straddles ? 1 : -1;
      if (cut === -1) {
        held.push(chunk);
        heldBytes += chunk.byteLength;
        if (heldBytes > MAX_EVENT_BYTES) throw oversized();
        continue;
      }
      let frame = heldBytes === 0 ? chunk.subarray(0, cut) : Buffer.concat([...held, chunk.subarray(0, cut)]);
      const rest = chunk.subarray(cut);
      held = rest.byteLength > 0 ? [rest] : [];
      heldBytes = rest.byteLength;
      if (heldBytes > MAX_EVENT_BYTES) throw oversized();
      if (first) {
        first = false;
        frame = withoutBom(frame);
      }
      yield frame;
    }
    // A last event left without its blank line still counts, but not a last line the
    // upstream cut in half (a stream that broke mid-line): that never reaches the client.
    if (heldBytes === 0) return;
    let last: Buffer = Buffer.concat(held);
    if (first) last = withoutBom(last);
    const lineEnd = last.lastIndexOf(LF) + 1;
    const whole = isWholeLastLine(last.toString('utf8', lineEnd)) ? last : last.subarray(0, lineEnd);
    if (hasContent(whole)) yield Buffer.concat([whole, whole === last ? EVENT_END : LINE_END]);
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
