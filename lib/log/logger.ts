/**
 * The gateway's logger: one JSON object per line on stdout (or an injected sink), at or
 * above `LOG_LEVEL`; `silent` writes nothing. Lines are batched (see `line-buffer.ts`).
 */
import { LineBuffer, type BatchOptions, type LogSink } from './line-buffer.js';

/** `LOG_LEVEL` values. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
/** The level of one line. */
export type LineLevel = Exclude<LogLevel, 'silent'>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Lines made within one millisecond share its ISO time: `toISOString` costs about 1.4 µs.
let clockMs = Number.NaN;
let clockIso = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockIso = new Date(now).toISOString();
  }
  return clockIso;
}

/** Writes log lines. */
export interface Logger {
  /** Whether a line at `level` would be written; lets callers skip building it. */
  enabled(level: LineLevel): boolean;
  /**
   * Queues one line: `{"time","level",...fields}`. Fields must never hold a key or a body,
   * nor a `time` or `level` of their own.
   */
  log(level: LineLevel, fields: Record<string, unknown>): void;
  /** Writes what is queued now (at shutdown). */
  flush(): void;
}

/**
 * How lines to stdout are batched: at most 50 ms old or 16 KiB long. Each write to a pipe
 * wakes its reader; one per event-loop turn cost about 15% of the gateway's CPU per
 * request under load on this project's machine. An injected sink gets a batch per turn.
 */
const STDOUT_BATCH: BatchOptions = { delayMs: 50, maxBytes: 16 * 1024 };

/**
 * Creates a logger. Lines for stdout that are still queued when the process exits are
 * written on its `exit` (a write to a pipe or file is synchronous on Linux).
 * @param level the lowest level written (`LOG_LEVEL`)
 * @param sink where lines go, `process.stdout` by default
 */
export function createLogger(level: LogLevel, sink: LogSink = process.stdout): Logger {
  const threshold = RANK[level];
  const toStdout = sink === process.stdout;
  const buffer = new LineBuffer(sink, toStdout ? STDOUT_BATCH : undefined);
  if (toStdout && threshold < RANK.silent) process.once('exit', () => buffer.flush());
  return {
    enabled: (lineLevel) => RANK[lineLevel] >= threshold,
    log(lineLevel, fields) {
      if (RANK[lineLevel] < threshold) return;
      // The fields' own JSON after `time` and `level`: one stringify and no copy of the fields.
      const rest = JSON.stringify(fields);
      buffer.push(`{"time":"${isoNow()}","level":"${lineLevel}"${rest === '{}' ? '}' : `,${rest.slice(1)}`}`);
    },
    flush: () => buffer.flush(),
  };
}
