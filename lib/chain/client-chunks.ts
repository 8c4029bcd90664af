/**
 * The two ways an upstream stream becomes the client's bytes, one chunk per upstream
 * read, each already inspected into the stream's state (end, error, usage):
 * - `eventChunks`: decoded events, converted when the provider speaks another dialect,
 *   encoded again as SSE;
 * - `frameChunks`: whole events passed on as the upstream sent them, for a provider that
 *   speaks the client's own format, so that nothing is decoded or encoded on the way.
 * A read that gives the client nothing yields an empty chunk, so that the relay can look
 * at the state after every read.
 */
import type { StreamFormat, StreamState } from '../formats/stream-format.js';
import type { SseEvent, StreamConverter } from '../providers/types.js';
import { parseSse } from '../sse/decode-sse.js';
import { encodeEvents } from '../sse/encode-sse.js';

/** What a stream's chunks are inspected with. */
export interface ChunkContext {
  /** Turns a provider's events into client events; none when the dialects match. */
  converter?: StreamConverter;
  format: StreamFormat;
  state: StreamState;
}

const NOTHING = new Uint8Array(0);
const DATA = Buffer.from('data:');
const LINE_DATA = Buffer.from('\ndata:');

/** Whether `frame` holds a `data:` line (an event the client sees, not just comments). */
const holdsData = (frame: Buffer) =>
  (frame.byteLength >= DATA.byteLength && frame.compare(DATA, 0, DATA.byteLength, 0, DATA.byteLength) === 0) || frame.indexOf(LINE_DATA) !== -1;

/** Runs the format's inspection over client events that are encoded as `text`. */
function inspect(context: ChunkContext, events: SseEvent[], text: string): void {
  if (context.format.inspectBatch) context.format.inspectBatch(events, text, context.state);
  else for (const event of events) context.format.inspect(event, context.state);
}

/**
 * Client chunks from decoded events, one per batch of `events`; at the end, what the
 * converter still holds.
 */
export async function* eventChunks(events: AsyncIterable<SseEvent[]>, context: ChunkContext): AsyncGenerator<Uint8Array> {
  const { converter } = context;
  // The converter counts the answer text it writes; the format adds the chunks.
  if (converter?.arrived) context.state.arrived = converter.arrived;
  for await (const batch of events) {
    const client = converter ? batch.flatMap((event) => converter.push(event)) : batch;
    const text = encodeEvents(client);
    inspect(context, client, text);
    const kept = withoutDropped(context.format, client, text);
    yield kept === '' ? NOTHING : Buffer.from(kept);
  }
  if (!converter) return;
  const tail = converter.end();
  const text = encodeEvents(tail);
  inspect(context, tail, text);
  const kept = withoutDropped(context.format, tail, text);
  if (kept !== '') yield Buffer.from(kept);
}

/**
 * The SSE text of `events` without those the format drops (see `StreamFormat.dropsEvent`);
 * `text` itself when none is (only a text that holds `"usage"` is looked at).
 */
function withoutDropped(format: StreamFormat, events: SseEvent[], text: string): string {
  const { dropsEvent } = format;
  if (dropsEvent === undefined || text.indexOf('"usage"') === -1) return text;
  const kept = events.filter((event) => !dropsEvent(event));
  return kept.length === events.length ? text : encodeEvents(kept);
}

/**
 * Client chunks that are the upstream's own LF-framed events (see `frame-sse.ts`),
 * inspected from their bytes when the format can tell, else event by event. A frame with
 * no `data:` line (comments only) gives the client nothing.
 */
export async function* frameChunks(frames: AsyncIterable<Buffer>, context: ChunkContext): AsyncGenerator<Uint8Array> {
  const { format, state } = context;
  for await (const frame of frames) {
    if (format.inspectFrame?.(frame, state) !== true) {
      const text = frame.toString('utf8');
      const events = parseSse(text);
      for (const event of events) format.inspect(event, state);
      const kept = withoutDropped(format, events, text);
      yield events.length === 0 || kept === '' ? NOTHING : kept === text ? frame : Buffer.from(kept);
      continue;
    }
    yield holdsData(frame) ? frame : NOTHING;
  }
}
