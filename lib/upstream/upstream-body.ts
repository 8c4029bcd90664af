/**
 * An upstream answer's body as undici's dispatcher hands it over: chunks queue here until
 * the relay reads them (async iteration) or the attempt reads them all (`bytes()`). Past
 * {@link HIGH_WATER_BYTES} queued, the upstream socket is paused until the reader catches
 * up, so a slow client never makes the gateway hold a whole stream.
 */
import type { Dispatcher } from 'undici';

/** Queued bytes past which the upstream is paused. */
export const HIGH_WATER_BYTES = 64 * 1024;

/** One buffer holding `chunks` (undici's are views into its socket reads). */
function joined(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The body of one upstream answer; read it once, by iterating or with `bytes()`. */
export class UpstreamBody implements AsyncIterableIterator<Uint8Array> {
  #chunks: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #failed = false;
  #error: unknown;
  #wake: (() => void) | undefined;

  /** @param controller undici's handle on the request: pauses, resumes and aborts it */
  constructor(private readonly controller: Dispatcher.DispatchController) {}

  /** A chunk arrived (undici's `onResponseData`). */
  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#queued += chunk.byteLength;
    if (this.#queued >= HIGH_WATER_BYTES && !this.controller.paused) this.controller.pause();
    this.#wakeReader();
  }

  /** The body is complete (undici's `onResponseEnd`). */
  end(): void {
    this.#ended = true;
    this.#wakeReader();
  }

  /** The body broke off with `error` (undici's `onResponseError`, an abort included). */
  fail(error: unknown): void {
    if (this.#ended || this.#failed) return;
    this.#failed = true;
    this.#error = error;
    this.#wakeReader();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /**
   * What arrived since the last read (at least one chunk), or done at the body's end.
   * @throws what the body broke off with, once the chunks before it have been read
   */
  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.#chunks.length > 0) {
        // Everything queued, in one piece, as a Node stream's reader gets it: undici hands
        // over each HTTP chunk on its own, and a stream's events are often one chunk each.
        const value = this.#chunks.length === 1 ? this.#chunks[0] : joined(this.#chunks, this.#queued);
        this.#chunks = [];
        this.#queued = 0;
        if (this.controller.paused) this.controller.resume();
        return { done: false, value };
      }
      if (this.#failed) throw this.#error;
      if (this.#ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** The reader stops early (a `break`, a throw, a cancelled relay): the request is aborted. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#ended && !this.#failed) {
      this.fail(new Error('The upstream body was not read to its end'));
      this.controller.abort(this.#error as Error);
    }
    this.#chunks = [];
    this.#queued = 0;
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * The whole body, in one buffer of its own (a cache may keep it).
   * @throws what the body broke off with
   */
  async bytes(): Promise<Uint8Array> {
    if (this.#ended) {
      // Most answers have all arrived by the time they are read.
      const body = joined(this.#chunks, this.#queued);
      this.#chunks = [];
      this.#queued = 0;
      return body;
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const next = await this.next();
      if (next.done) return joined(chunks, length);
      chunks.push(next.value);
      length += next.value.byteLength;
    }
  }
}
