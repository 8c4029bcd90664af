/**
 * A log sink that keeps every line, for tests that read what the gateway logged.
 */
import type { LogSink } from '../../lib/log/line-buffer.js';

/** One parsed log line. */
export type LogLine = Record<string, unknown>;

/** A sink and what it received. */
export interface LogCapture {
  sink: LogSink;
  /** Every line so far, raw. */
  raw: string[];
  /** Every line so far, parsed. */
  lines(): LogLine[];
  /** Waits until a line matching `test` arrives (lines are written a turn after the answer). */
  waitFor(test: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

/** Creates an empty capture. */
export function captureLog(): LogCapture {
  const raw: string[] = [];
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  return {
    raw,
    sink: {
      write(chunk) {
        raw.push(...chunk.split('\n').filter((line) => line.length > 0));
        return true;
      },
    },
    lines,
    async waitFor(test, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines().find(test);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such log line; got ${JSON.stringify(raw)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}
