/**
 * The cache key: a SHA-256 over the request's credentials, the chain, the path and the
 * body in canonical JSON (key order does not matter), so that one tenant never sees
 * another's answer and no key is ever stored.
 */
import * as crypto from 'node:crypto';
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

/** Forwarded headers that change a provider's answer: Anthropic's version and betas, OpenAI's betas. */
const ANSWER_HEADERS = ['anthropic-version', 'anthropic-beta', 'openai-beta'] as const;

/** SHA-256 of a string's UTF-8, in hex: Node's one-shot `crypto.hash` (20.12+), else a `Hash`. */
const sha256Hex: (input: string) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'hex')
    : (input) => crypto.createHash('sha256').update(input).digest('hex');

/**
 * The cache key for one request: one SHA-256 (hex) over the credentials the request
 * carries (`Authorization`, `x-api-key`, the `x-<name>-api-key` of each chain provider;
 * requests that send none share the gateway's own environment keys), the headers that change
 * the answer (`anthropic-version`, `anthropic-beta`, `openai-beta`), the chain, the path
 * and the canonical body. The digest is all that is kept: never a key.
 */
export function cacheKey(parts: CacheKeyParts): string {
  // One string and one hash call (a Hash fed part by part costs twice as much); the
  // parts are NUL-separated, and header values cannot hold NUL (guard-request refuses it).
  let input = `${parts.read('authorization') ?? ''}\0${parts.read('x-api-key') ?? ''}`;
  for (const entry of parts.chain) input += `\0${parts.read(`x-${entry.provider}-api-key`) ?? ''}`;
  // Headers that change what a provider answers (an API version, a beta feature) are part of the request.
  for (const name of ANSWER_HEADERS) input += `\0${parts.read(name) ?? ''}`;
  input += `\0${parts.labels.join(',')}\0${parts.path}\0${stringify(parts.body) ?? ''}`;
  return sha256Hex(input);
}
