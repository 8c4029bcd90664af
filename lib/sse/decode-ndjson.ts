/**
 * Decodes newline-delimited JSON (one JSON value per line, LF or CRLF) into events whose
 * `data` is the line, as soon as each line ends. A last line without its newline is still
 * delivered; blank lines are skipped. Bytes go through a streaming UTF-8 decoder.
 *
 * @see https://github.com/ndjson/ndjson-spec
 */
import type { SseEvent } from '../providers/types.js';

/** Yields, for each read of `chunks`, one event per non-blank line that read completed. */
export async function* decodeNdjson(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent[]> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    const end = pending.lastIndexOf('\n');
    if (end === -1) continue;
    const batch = lines(pending.slice(0, end));
    pending = pending.slice(end + 1);
    if (batch.length > 0) yield batch;
  }
  const last = lines(pending + decoder.decode());
  if (last.length > 0) yield last;
}

function lines(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.length > 0) events.push({ data: trimmed });
  }
  return events;
}
