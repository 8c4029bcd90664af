/**
 * The cache key: a SHA-256 over the request's credentials, the chain, the path and the
 * body in canonical JSON (key order does not matter), so that one tenant never sees
 * another's answer and no key is ever stored.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { ChainEntry } from '../routing/parse-chain.js';

/** What a cached answer depends on. */
export interface CacheKeyParts {
  /** Reads a client header by lower-case name: the credentials come from here. */
  read: (name: string) => string | undefined;
  chain: readonly ChainEntry[];
  /** The chain as `provider` or `provider/model` per entry (the request log's `chain`). */
  labels: readonly string[];
  /** The path after `/v1`, with its query. */
  path: string;
  body: Record<string, unknown>;
}

/**
 * The cache key for one request: one SHA-256 (hex) over the credentials the request
 * carries (`Authorization`, `x-api-key`, the `x-<name>-api-key` of each chain provider;
 * requests that send none share the gateway's own environment keys), the chain, the path
 * and the canonical body. The digest is all that is kept: never a key.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash('sha256');
  hash.update(parts.read('authorization') ?? '').update('\0').update(parts.read('x-api-key') ?? '');
  for (const entry of parts.chain) hash.update('\0').update(parts.read(`x-${entry.provider}-api-key`) ?? '');
  return hash
    .update('\0')
    .update(parts.labels.join(','))
    .update('\0')
    .update(parts.path)
    .update('\0')
    .update(stringify(parts.body) ?? '')
    .digest('hex');
}
