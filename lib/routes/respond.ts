/**
 * Writes the gateway's answers: a chain outcome or a cached answer, with the gateway's
 * own headers (`x-request-id`, `x-gateway-provider`, `x-gateway-attempts`,
 * `x-gateway-cache`, and the request's own, such as its key's rate limits). Headers go as
 * a plain object so that the Node adapter can write the response without building a
 * `Headers` instance. The cache's verdict is recorded in the request's `meta` for its log.
 */
import type { CachedAnswer } from '../cache/cache-store.js';
import type { ChainOutcome } from '../chain/run-chain.js';
import type { CacheStatus, RequestMeta } from '../request/request-meta.js';

/** The response for a chain outcome. */
export function outcomeResponse(outcome: ChainOutcome, requestId: string, cache: CacheStatus, meta: RequestMeta): Response {
  const { result } = outcome;
  meta.cache = cache;
  return new Response(result.body as BodyInit, {
    status: result.status,
    headers: {
      ...result.headers,
      ...meta.headers,
      'x-gateway-provider': outcome.provider,
      'x-gateway-attempts': String(outcome.attempts),
      'x-gateway-cache': cache,
      'x-request-id': requestId,
    },
  });
}

/**
 * The response for a cached answer: the same status, content type and bytes as the
 * first time, with `age` in whole seconds.
 * @param now the cache's clock, in ms
 */
export function cachedResponse(answer: CachedAnswer, requestId: string, now: number, meta: RequestMeta): Response {
  meta.cache = 'HIT';
  return new Response(answer.body as BodyInit, {
    status: answer.status,
    headers: {
      'content-type': answer.contentType,
      ...meta.headers,
      age: String(Math.max(0, Math.floor((now - answer.storedAt) / 1000))),
      'x-gateway-provider': answer.provider,
      'x-gateway-attempts': '0',
      'x-gateway-cache': 'HIT',
      'x-request-id': requestId,
    },
  });
}
