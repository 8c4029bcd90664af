/**
 * Sends one passthrough request upstream over the pooled keep-alive connections (undici's
 * `request()`, whose Node body stream becomes the client's body as it is). Every other
 * request goes through `open-upstream.ts`, on the same pool. Redirects are not followed.
 * Network failures become a retryable 502 `GatewayError`; this function knows nothing of
 * timeouts beyond the abort signal it is given.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { GatewayError } from '../errors.js';
import type { UpstreamRequest } from '../providers/types.js';
import type { CancelSignal } from './cancel-signal.js';

/** The pool every upstream request goes through. */
export const agent = new Agent({
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  // The chain owns every timeout (per attempt, first event, idle); undici's are off.
  headersTimeout: 0,
  bodyTimeout: 0,
  connect: { timeout: 10_000 },
});

/** An upstream answer whose body is still unread. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as a Node stream; iterate it or call `bytes()`/`dump()`. */
  body: Dispatcher.ResponseData['body'];
}

/**
 * Sends `upstream` and resolves once the status and headers arrived.
 * @param signal aborts the request (and its body) at any point
 * @throws GatewayError 502 (`upstream_unreachable`, retryable) on a network error;
 *   rethrows the signal's reason when aborted
 */
export async function sendUpstream(upstream: UpstreamRequest, signal: CancelSignal, provider: string): Promise<UpstreamResponse> {
  try {
    const response = await request(upstream.url, {
      method: upstream.method as Dispatcher.HttpMethod,
      headers: upstream.headers,
      body: upstream.body,
      signal,
      dispatcher: agent,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw unreachable(provider, error);
  }
}

/** The retryable 502 for a request that got no answer (refused, reset, DNS…). */
export function unreachable(provider: string, error: unknown): GatewayError {
  return new GatewayError({
    status: 502,
    message: `Provider ${provider} is unreachable: ${(error as Error).message}`,
    code: 'upstream_unreachable',
    provider,
    retryable: true,
    cause: error,
  });
}
