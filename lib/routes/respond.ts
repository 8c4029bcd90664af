/**
 * Writes the gateway's answers: a chain outcome or a cached answer, with the gateway's
 * own headers (`x-request-id`, `x-gateway-provider`, `x-gateway-attempts`,
 * `x-gateway-cache`, and the request's own, such as its key's rate limits). Headers go as
 * a plain object so that the Node adapter can write the response without building a
 * `Headers` instance. The cache's verdict is recorded in the request's `meta` for its log.
 */
import type { CachedAnswer } from '../cache/cache-store.js';
import type { ChainOutcome } from '../chain/run-chain.js';
import { formatUsd } from '../pricing/pricer.js';
import type { CacheStatus, RequestMeta } from '../request/request-meta.js';

/**
 * The gateway's own headers, on answers and errors alike: the request's (its key's rate
 * limits), the cache's verdict (`BYPASS` when it was never asked), the upstream requests
 * made, the request id.
 */
export function gatewayHeaders(meta: RequestMeta | undefined, requestId: string): Record<string, string> {
  return {
    ...meta?.headers,
    'x-gateway-cache': meta?.cache ?? 'BYPASS',
    'x-gateway-attempts': String(meta?.attempts ?? 0),
    'x-request-id': requestId,
  };
}

/**
 * `x-gateway-cost-usd` for a plain answer whose usage is known: the cost in USD, or
 * `unpriced` for a model without a price. A stream's cost is known only when it ends (its log line).
 */
function costHeader(meta: RequestMeta): Record<string, string> {
  if (meta.usage === undefined || meta.cost_usd === undefined) return {};
  return { 'x-gateway-cost-usd': meta.cost_usd === null ? 'unpriced' : formatUsd(meta.cost_usd) };
}

/** The response for a chain outcome; `meta` already holds its provider and attempts. */
export function outcomeResponse(outcome: ChainOutcome, requestId: string, cache: CacheStatus, meta: RequestMeta): Response {
  const { result } = outcome;
  meta.cache = cache;
  return new Response(result.body as BodyInit, {
    status: result.status,
    headers: { ...result.headers, 'x-gateway-provider': outcome.provider, ...costHeader(meta), ...gatewayHeaders(meta, requestId) },
  });
}

/**
 * The response for a cached answer: the same status, content type and bytes as the
 * first time, with `age` in whole seconds; `meta` already says no upstream request was made.
 * @param now the cache's clock, in ms
 */
export function cachedResponse(answer: CachedAnswer, requestId: string, now: number, meta: RequestMeta): Response {
  meta.cache = 'HIT';
  return new Response(answer.body as BodyInit, {
    status: answer.status,
    headers: {
      'content-type': answer.contentType,
      age: String(Math.max(0, Math.floor((now - answer.storedAt) / 1000))),
      'x-gateway-provider': answer.provider,
      ...gatewayHeaders(meta, requestId),
    },
  });
}
