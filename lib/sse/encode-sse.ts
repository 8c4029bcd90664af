/**
 * Encodes events as server-sent events, each ending in a blank line; the data is
 * written as it came (its JSON untouched), one `data:` line per line of data.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import type { SseEvent } from '../providers/types.js';

/** Encodes one event as `event: …\nid: …\ndata: …\n\n` (fields only when set). */
export function encodeSse(event: SseEvent): string {
  let text = '';
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  const { data } = event;
  if (data.indexOf('\n') === -1) return `${text}data: ${data}\n\n`;
  for (const line of data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** Encodes `events` one after the other, as `encodeSse` does each. */
export function encodeEvents(events: SseEvent[]): string {
  let text = '';
  for (const event of events) text += encodeSse(event);
  return text;
}
