/**
 * Which requests the response cache serves (docs/api.md "Caching"). Only non-stream JSON
 * requests of the cacheable operations; under `GATEWAY_CACHE=auto` (the default) embeddings
 * always, since the same input gives the same vectors, while chat, completions and messages
 * only when the request asks with `Cache-Control: max-age=N`: two identical chat requests
 * are expected to get two answers unless the client says an older one is fine.
 */
import type { CacheMode } from '../config.js';
import { operationSpec, type Operation } from '../operations/table.js';
import { cacheDirectives, type CacheDirectives } from './cache-control.js';

/**
 * @param cacheControl the request's `Cache-Control` header
 * @returns the directives to serve the request with, or undefined when the cache stays out of it
 */
export function cachePolicy(mode: CacheMode, operation: Operation, cacheControl: string | undefined): CacheDirectives | undefined {
  const { cache } = operationSpec(operation);
  if (mode === 'off' || cache === 'never') return undefined;
  const directives = cacheDirectives(cacheControl);
  if (mode === 'auto' && cache !== 'deterministic' && directives.maxAgeMs === undefined) return undefined;
  return directives;
}
