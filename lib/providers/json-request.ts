/**
 * Requests of translated providers, whose bodies the adapter writes itself: JSON in,
 * JSON (or a stream) out, never compressed (undici hands back the bytes as they came).
 */
import type { UpstreamRequest } from './types.js';

/** A JSON `POST` of `body` with the provider's own `headers` (credential, version). */
export function jsonPost(url: string, body: unknown, headers: Record<string, string>): UpstreamRequest {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-encoding': 'identity', ...headers },
    body: JSON.stringify(body),
  };
}

/** A `GET` that expects JSON, e.g. a models list. */
export function jsonGet(url: string, headers: Record<string, string>): UpstreamRequest {
  return { url, method: 'GET', headers: { accept: 'application/json', 'accept-encoding': 'identity', ...headers } };
}
