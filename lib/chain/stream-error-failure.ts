/**
 * What an error event that comes as a stream's first event means: it is classified by
 * its type and code, as its provider would have answered it without a stream. A request
 * the provider refuses (`invalid_request_error`, `context_length_exceeded`, Google's
 * `INVALID_ARGUMENT`…) comes back at once as that 4xx with the provider's message, with no
 * retry and no fallback, since no retry would change it; rate limits, quota, overload and
 * server errors are retried and fall back like the same status outside a stream.
 *
 * @see https://platform.openai.com/docs/guides/error-codes
 * @see https://docs.anthropic.com/en/api/errors
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
import { GatewayError } from '../errors.js';
import type { StreamState } from '../formats/stream-format.js';
import { RETRYABLE_STATUSES } from './failures.js';

/** Error types and codes (OpenAI's, Anthropic's and Google's) → the status they stand for. */
const STATUSES: ReadonlyArray<readonly [status: number, names: readonly string[]]> = [
  [400, ['invalid_request_error', 'context_length_exceeded', 'string_above_max_length', 'invalid_argument', 'failed_precondition', 'out_of_range', 'request_too_large']],
  [401, ['authentication_error', 'invalid_api_key', 'unauthenticated']],
  [403, ['permission_error', 'permission_denied', 'billing_error']],
  [404, ['not_found_error', 'model_not_found', 'not_found']],
  [429, ['rate_limit_error', 'rate_limit_exceeded', 'insufficient_quota', 'resource_exhausted', 'tokens', 'requests']],
  [503, ['unavailable', 'service_unavailable']],
  [504, ['timeout_error', 'deadline_exceeded']],
  [529, ['overloaded_error']],
];

const BY_NAME = new Map(STATUSES.flatMap(([status, names]) => names.map((name) => [name, status] as const)));

/** The status an error event stands for: its own when it carried one, else by code, then type; 502 when nothing tells. */
export function streamErrorStatus(error: NonNullable<StreamState['error']>): number {
  if (error.status !== undefined && error.status >= 400 && error.status < 600) return error.status;
  for (const name of [error.code, error.type]) {
    const status = name === undefined ? undefined : BY_NAME.get(name.toLowerCase());
    if (status !== undefined) return status;
  }
  return 502;
}

/**
 * The failure of an attempt whose stream's first event was an error: retryable (and
 * falling back) only when its status is.
 */
export function streamErrorFailure(provider: string, error: NonNullable<StreamState['error']>): GatewayError {
  const status = streamErrorStatus(error);
  const retryable = status === 502 || RETRYABLE_STATUSES.has(status);
  return new GatewayError({
    status,
    message: retryable ? `Provider ${provider} reported an error in its stream: ${error.message}` : error.message,
    code: error.code ?? 'upstream_stream_error',
    provider,
    retryable,
  });
}
