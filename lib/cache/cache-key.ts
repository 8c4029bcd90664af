/**
 * The cache key: a SHA-256 over the credential's identity (itself a hash, never the
 * key), the chain, the path and the body in canonical JSON (key order does not matter),
 * so that one tenant never sees another's answer.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { ChainEntry } from '../routing/parse-chain.js';

/** What a cached answer depends on. */
export interface CacheKeyParts {
  /** Every credential the request carries, in a fixed order (see {@link credentialIdentity}). */
  identity: string;
  chain: readonly ChainEntry[];
  /** The path after `/v1`, e.g. `/chat/completions`. */
  path: string;
  body: Record<string, unknown>;
}

/**
 * The credentials a request carries, as one SHA-256 hex digest: `Authorization`,
 * `x-api-key` and the `x-<name>-api-key` of each chain provider. Requests that send no
 * key share the identity of the gateway's own environment keys.
 */
export function credentialIdentity(read: (name: string) => string | undefined, chain: readonly ChainEntry[]): string {
  const hash = createHash('sha256');
  hash.update(read('authorization') ?? '');
  hash.update('\0');
  hash.update(read('x-api-key') ?? '');
  for (const entry of chain) {
    hash.update('\0');
    hash.update(read(`x-${entry.provider}-api-key`) ?? '');
  }
  return hash.digest('hex');
}

/** The cache key for one request, a SHA-256 hex digest. */
export function cacheKey(parts: CacheKeyParts): string {
  const chain = parts.chain.map((entry) => (entry.model === undefined ? entry.provider : `${entry.provider}/${entry.model}`));
  return createHash('sha256')
    .update(parts.identity)
    .update('\0')
    .update(chain.join(','))
    .update('\0')
    .update(parts.path)
    .update('\0')
    .update(stringify(parts.body) ?? '')
    .digest('hex');
}
