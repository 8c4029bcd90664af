/**
 * Proves that an entry streams: the mock upstream sends one SSE event, then holds the
 * rest until the test has read that event at the client. A buffered path never hands
 * the first event over, so the read times out and the test fails.
 */
import type { MockHandler } from './mock-upstream.js';
import { chunk, startSse } from './mock-upstream.js';
import { settleBefore } from './within.js';

/** The events the held stream sends, each already framed as SSE. */
export const HELD_EVENTS = [`data: ${chunk('Hel')}\n\n`, `data: ${chunk('lo')}\n\n`, `data: ${chunk(null, 'stop')}\n\n`, 'data: [DONE]\n\n'];

/** An upstream SSE answer that sends {@link HELD_EVENTS}[0] and waits for `release()`. */
export interface HeldStream {
  handler: MockHandler;
  /** Lets the upstream send the rest of the events and end. */
  release(): void;
}

/**
 * Creates a held stream.
 * @param maxHoldMs how long the upstream holds at most, so that a failed test leaves
 *   nothing hanging; keep it longer than the client's wait for the first event
 */
export function heldStream(maxHoldMs = 10_000): HeldStream {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const handler: MockHandler = async (_request, res) => {
    startSse(res);
    res.write(HELD_EVENTS[0]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([released, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxHoldMs)))]);
    clearTimeout(timer);
    for (const event of HELD_EVENTS.slice(1, -1)) res.write(event);
    res.end(HELD_EVENTS.at(-1));
  };
  return { handler, release };
}

/**
 * Reads a body until the text read so far contains `marker`.
 * @returns the text read so far (it may hold more than the marker)
 * @throws when the marker has not arrived within `timeoutMs`, or the body ends first
 */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const next = await settleBefore(reader.read(), deadline, () => `${JSON.stringify(marker)} not received within ${timeoutMs} ms; got ${JSON.stringify(text)}`);
    if (next.done) throw new Error(`body ended before ${JSON.stringify(marker)}; got ${JSON.stringify(text)}`);
    text += decoder.decode(next.value, { stream: true });
  }
  return text;
}

/**
 * Reads a body to its end.
 * @throws when it has not ended within `timeoutMs`
 */
export async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const next = await settleBefore(reader.read(), deadline, () => `body not ended within ${timeoutMs} ms; got ${JSON.stringify(text)}`);
    if (next.done) return text + decoder.decode();
    text += decoder.decode(next.value, { stream: true });
  }
}
