/**
 * Which requests the response cache serves (docs/api.md "Caching"). Only non-stream JSON
 * requests of the cacheable operations; under `GATEWAY_CACHE=auto` (the default) embeddings
 * always, since the same input gives the same vectors, while chat, completions and messages
 * only when the request asks with `Cache-Control: max-age=N`: two identical chat requests
 * are expected to get two answers unless the client says an older one is fine.
 */
import type { CacheMode } from '../config.js';
import type { Operation } from '../providers/types.js';
import { cacheDirectives, type CacheDirectives } from './cache-control.js';

/** Operations whose non-stream answers may be cached. */
const CACHEABLE: ReadonlySet<Operation> = new Set(['chat', 'completions', 'embeddings', 'messages']);

/** Cacheable operations whose answer depends only on the request: cached under `auto` unasked. */
const DETERMINISTIC: ReadonlySet<Operation> = new Set(['embeddings']);

/**
 * @param cacheControl the request's `Cache-Control` header
 * @returns the directives to serve the request with, or undefined when the cache stays out of it
 */
export function cachePolicy(mode: CacheMode, operation: Operation, cacheControl: string | undefined): CacheDirectives | undefined {
  if (mode === 'off' || !CACHEABLE.has(operation)) return undefined;
  const directives = cacheDirectives(cacheControl);
  if (mode === 'auto' && !DETERMINISTIC.has(operation) && directives.maxAgeMs === undefined) return undefined;
  return directives;
}
