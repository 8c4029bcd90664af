/**
 * Every upstream attempt of a request with its timing, as metrics and traces read it: what
 * the chain did (answered, retried, fell back, skipped an entry), how long the request
 * waited on upstreams (so that the gateway's own overhead is the rest), and for a stream the
 * time to its first event. The chain appends one entry per attempt (one object, two
 * `performance.now()` readings); everything else is computed once, after the answer, from
 * the list.
 */
import type { SkipReason } from './usable-key.js';

/** One upstream attempt, or one chain entry skipped without an upstream request, as the chain logs it. */
export interface AttemptEntry {
  provider: string;
  model?: string;
  /** The upstream's status, when it answered. */
  status?: number;
  /** The error kind when it did not (`upstream_timeout`, `upstream_unreachable`, …). */
  error?: string;
  /** Why no upstream request was made: the provider's circuit was open, or there was no usable key. */
  skipped?: SkipReason | 'circuit_open';
  /** `performance.now()` when the attempt started, in ms. */
  started: number;
  /** `performance.now()` when it had the answer (for a stream: its first event) or failed, in ms. */
  ended: number;
}

/**
 * What became of an attempt: `ok` (a 2xx answer), `error` (an error the client got: the
 * provider's non-retryable error response, or the last failure of a chain that ran out),
 * `retried` (failed, the same provider tried again), `fell_back` (failed, the next entry
 * tried), `skipped_breaker` (its circuit was open: no request), `skipped_no_key` (no key it
 * could use: no request).
 */
export type AttemptOutcome = 'ok' | 'error' | 'retried' | 'fell_back' | 'skipped_breaker' | 'skipped_no_key';

/** One attempt of a finished request, as listeners read it. */
export interface AttemptDetail {
  provider: string;
  model?: string;
  status?: number;
  error?: string;
  outcome: AttemptOutcome;
  /** When it started, in ms after the request arrived. */
  start_ms: number;
  /** How long it took, in ms (for a stream that answered: to the stream's end). */
  duration_ms: number;
}

/** What a request's attempt log tells once the request is finished. */
export interface AttemptSummary {
  attempts: AttemptDetail[];
  /** Time spent waiting on upstreams, in ms: every attempt's duration, a stream's relay included. */
  upstream_ms: number;
  /** For a stream: time from the request's arrival to its first event, in ms. */
  first_token_ms?: number;
}

const failed = (entry: AttemptEntry) => entry.error !== undefined || (entry.status !== undefined && entry.status >= 300);

/**
 * Summarizes a request's attempt log.
 * @param log the chain's entries, in order
 * @param startedAt `performance.now()` when the request arrived, in ms
 * @param streamEndedAt `performance.now()` when a streamed answer ended, in ms; undefined when it did not stream
 */
export function summarizeAttempts(log: readonly AttemptEntry[], startedAt: number, streamEndedAt: number | undefined): AttemptSummary {
  const attempts: AttemptDetail[] = [];
  let upstream = 0;
  let firstToken: number | undefined;
  for (let index = 0; index < log.length; index += 1) {
    const entry = log[index];
    let outcome: AttemptOutcome;
    let ended = entry.ended;
    if (entry.skipped !== undefined) outcome = entry.skipped === 'circuit_open' ? 'skipped_breaker' : 'skipped_no_key';
    else if (!failed(entry)) {
      outcome = 'ok';
      if (streamEndedAt !== undefined) {
        firstToken = entry.ended - startedAt;
        ended = Math.max(ended, streamEndedAt);
      }
    } else {
      let next: AttemptEntry | undefined;
      for (let after = index + 1; after < log.length && next === undefined; after += 1) if (log[after].skipped === undefined) next = log[after];
      outcome = next === undefined ? 'error' : next.provider === entry.provider ? 'retried' : 'fell_back';
    }
    const duration = ended - entry.started;
    if (entry.skipped === undefined) upstream += duration;
    attempts.push({
      provider: entry.provider,
      model: entry.model,
      status: entry.status,
      error: entry.error,
      outcome,
      start_ms: entry.started - startedAt,
      duration_ms: duration,
    });
  }
  return { attempts, upstream_ms: upstream, first_token_ms: firstToken };
}
