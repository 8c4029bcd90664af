/**
 * Writes the gateway's answers: a chain outcome or a cached answer, with the gateway's
 * own headers (`x-request-id`, `x-gateway-provider`, `x-gateway-attempts`,
 * `x-gateway-cache`). Headers go as a plain object so that the Node adapter can write
 * the response without building a `Headers` instance.
 */
import type { CachedAnswer } from '../cache/cache-store.js';
import type { ChainOutcome } from '../chain/run-chain.js';

/** The cache's verdict on one answer. */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS';

/** The response for a chain outcome. */
export function outcomeResponse(outcome: ChainOutcome, requestId: string, cache: CacheStatus): Response {
  const { result } = outcome;
  return new Response(result.body as BodyInit, {
    status: result.status,
    headers: {
      ...result.headers,
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
export function cachedResponse(answer: CachedAnswer, requestId: string, now: number): Response {
  return new Response(answer.body as BodyInit, {
    status: answer.status,
    headers: {
      'content-type': answer.contentType,
      age: String(Math.max(0, Math.floor((now - answer.storedAt) / 1000))),
      'x-gateway-provider': answer.provider,
      'x-gateway-attempts': '0',
      'x-gateway-cache': 'HIT',
      'x-request-id': requestId,
    },
  });
}
