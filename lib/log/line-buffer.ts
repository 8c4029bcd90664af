/**
 * Collects log lines and writes them in batches, after the request that made them has
 * been answered, so that logging never adds a write (or, for a file, TTY or pipe stdout,
 * a blocking write) to a request's path. A batch goes out after the current turn of the
 * event loop, or, with `delayMs`, once it is `delayMs` old or `maxBytes` long, whichever
 * comes first: on this project's machine each write to a pipe cost more CPU than the
 * lines in it. When the sink pushes
 * back (a full pipe), lines wait for its `drain`, up to a bound; past it they are dropped
 * and counted, so that a stalled reader can never grow the gateway's memory.
 */

/** Where log lines go: `process.stdout`, or any sink a test or host provides. */
export interface LogSink {
  /** Writes `\n`-terminated lines; false asks the caller to wait for `drain`. */
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

/** Lines kept while the sink pushes back; past this they are dropped. */
const MAX_PENDING_LINES = 10_000;

/** How a `LineBuffer` batches: per event-loop turn (`delayMs` 0), or by age and size. */
export interface BatchOptions {
  /** The longest a line waits, in ms; 0 writes on the next turn of the event loop. */
  delayMs: number;
  /** A batch this long (UTF-16 code units, about bytes for log lines) goes out at once. */
  maxBytes: number;
}

/** A batching writer over one sink. */
export class LineBuffer {
  #pending: string[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  /** A flush is set for the end of this turn of the event loop. */
  #soon = false;
  #waitingForDrain = false;
  #dropped = 0;

  constructor(
    private readonly sink: LogSink,
    private readonly batch: BatchOptions = { delayMs: 0, maxBytes: Number.POSITIVE_INFINITY },
  ) {}

  /** Queues one line (without its `\n`); it is written as `BatchOptions` say. */
  push(line: string): void {
    if (this.#pending.length >= MAX_PENDING_LINES) {
      this.#dropped += 1;
      return;
    }
    this.#pending.push(line);
    this.#pendingBytes += line.length + 1;
    if (this.#waitingForDrain || this.#soon) return;
    // A full batch, like every batch without a delay, goes out after this turn's answers.
    if (this.#pendingBytes >= this.batch.maxBytes || this.batch.delayMs === 0) {
      this.#soon = true;
      setImmediate(() => this.flush());
      return;
    }
    if (this.#timer !== undefined) return;
    // Unref'd: pending lines never keep the process alive; exit flushes them (see logger).
    this.#timer = setTimeout(() => this.flush(), this.batch.delayMs);
    this.#timer.unref();
  }

  /** Writes every queued line now, unless the sink asked to wait for `drain`. */
  flush(): void {
    this.#soon = false;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#waitingForDrain || this.#pending.length === 0) return;
    if (this.#dropped > 0) {
      this.#pending.push(JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: 'log lines dropped: the log sink was not keeping up', dropped: this.#dropped }));
      this.#dropped = 0;
    }
    const chunk = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.sink.write(chunk) || !this.sink.once) return;
    this.#waitingForDrain = true;
    this.sink.once('drain', () => {
      this.#waitingForDrain = false;
      this.flush();
    });
  }
}
