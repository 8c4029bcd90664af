/**
 * What the chain does with each kind of failure, and the one error that lists every
 * attempt when all of them failed.
 */
import { GatewayError } from '../errors.js';
import type { AttemptRejection } from './attempt.js';
import type { SkipReason } from './usable-key.js';

/** Upstream statuses worth retrying, and falling back on. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504, 529]);

/** A provider's own error response that is worth retrying (see {@link RETRYABLE_STATUSES}). */
export class RetryableRejection extends Error {
  constructor(readonly rejection: AttemptRejection) {
    super(`upstream answered ${rejection.status}`);
    this.name = 'RetryableRejection';
  }
}

/** How one failure may be handled. */
export interface FailureKind {
  /** Trying the same provider again may help. */
  retry: boolean;
  /** The next chain entry may be tried. */
  fallback: boolean;
  /** The wait the provider asked for, in ms. */
  retryAfterMs?: number;
}

/** Classifies an error thrown by one attempt. Unknown errors neither retry nor fall back. */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof RetryableRejection) return { retry: true, fallback: true, retryAfterMs: error.rejection.retryAfterMs };
  if (error instanceof GatewayError) {
    // A redirect will not change on a retry, but another provider may answer.
    if (error.code === 'upstream_redirect') return { retry: false, fallback: true };
    return { retry: error.retryable, fallback: error.retryable };
  }
  return { retry: false, fallback: false };
}

/** One upstream request, or a chain entry skipped without one, as the final error lists it. */
export interface AttemptRecord {
  provider: string;
  model?: string;
  /** The upstream status, when it answered. */
  status?: number;
  /** The error kind when it did not: `upstream_timeout`, `upstream_unreachable`, … */
  error?: string;
  /** Why the entry was not tried at all (no upstream request was made). */
  skipped?: SkipReason;
  /** Time taken, in ms. */
  duration_ms: number;
}

/** How many of `records` were upstream requests (skipped entries are not). */
export function upstreamRequests(records: readonly { skipped?: unknown }[]): number {
  let count = 0;
  for (const record of records) if (record.skipped === undefined) count += 1;
  return count;
}

function describe(record: AttemptRecord): string {
  const target = record.model ? `${record.provider}/${record.model}` : record.provider;
  if (record.skipped !== undefined) return `${target}: skipped (${record.skipped})`;
  return `${target}: ${record.status ?? record.error} after ${record.duration_ms} ms`;
}

/**
 * The error for a request whose every attempt failed: the last upstream status (502 for
 * network errors, 504 for timeouts), a message and an `attempts` array listing each try.
 */
export function allAttemptsFailed(records: readonly AttemptRecord[], last: unknown): GatewayError {
  let status = 502;
  let code = 'upstream_error';
  const headers: Record<string, string> = {};
  if (last instanceof RetryableRejection) {
    status = last.rejection.status;
    const retryAfter = last.rejection.headers['retry-after'];
    if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  } else if (last instanceof GatewayError) {
    status = last.status;
    code = last.code ?? code;
  }
  // The gateway has retried (or fallen back) already: an SDK that retried too would
  // multiply the upstream requests (3 × 3 for one failing request with both at 2).
  if (records.length > 1) headers['x-should-retry'] = 'false';
  const list = records.map(describe).join('; ');
  // The last failure's own words (a DNS error, a refused connection) say the most.
  const cause = last instanceof GatewayError ? ` Last error: ${last.message}` : '';
  return new GatewayError({
    status,
    message: `Every attempt failed (${upstreamRequests(records)}): ${list}.${cause}`,
    type: status === 504 ? 'timeout_error' : status === 429 ? 'rate_limit_error' : 'upstream_error',
    code,
    extra: { attempts: records },
    headers,
  });
}
