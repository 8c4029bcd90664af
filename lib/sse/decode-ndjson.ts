/**
 * Decodes newline-delimited JSON (one JSON value per line, LF or CRLF) into events whose
 * `data` is the line, as soon as each line ends. A last line without its newline is still
 * delivered; blank lines are skipped. Bytes go through a streaming UTF-8 decoder.
 *
 * @see https://github.com/ndjson/ndjson-spec
 */
import type { SseEvent } from '../providers/types.js';

/** Yields one event per non-blank line of `chunks`. */
export async function* decodeNdjson(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line.length > 0) yield { data: line };
      newline = pending.indexOf('\n');
    }
  }
  const last = (pending + decoder.decode()).trim();
  if (last.length > 0) yield { data: last };
}
