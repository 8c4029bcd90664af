/**
 * Collects log lines and writes them in one batch per event-loop turn, after the
 * request that made them has been answered, so that logging never adds a write (or,
 * for a file or TTY stdout, a blocking write) to a request's path. When the sink pushes
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

/** A batching writer over one sink. */
export class LineBuffer {
  #pending: string[] = [];
  #scheduled = false;
  #waitingForDrain = false;
  #dropped = 0;

  constructor(private readonly sink: LogSink) {}

  /** Queues one line (without its `\n`); it is written on the next turn of the event loop. */
  push(line: string): void {
    if (this.#pending.length >= MAX_PENDING_LINES) {
      this.#dropped += 1;
      return;
    }
    this.#pending.push(line);
    if (this.#scheduled || this.#waitingForDrain) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes every queued line now, unless the sink asked to wait for `drain`. */
  flush(): void {
    this.#scheduled = false;
    if (this.#waitingForDrain || this.#pending.length === 0) return;
    if (this.#dropped > 0) {
      this.#pending.push(JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: 'log lines dropped: the log sink was not keeping up', dropped: this.#dropped }));
      this.#dropped = 0;
    }
    const chunk = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    if (this.sink.write(chunk) || !this.sink.once) return;
    this.#waitingForDrain = true;
    this.sink.once('drain', () => {
      this.#waitingForDrain = false;
      this.flush();
    });
  }
}
