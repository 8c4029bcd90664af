/**
 * Header allow-lists, both ways. To a provider go only the headers its API uses; back
 * to the client go content type, rate-limit and retry hints, and the provider's request
 * id and processing time. Everything else (cookies, credentials, hop-by-hop headers,
 * `x-forwarded-*`) stays behind.
 */

/** Client headers every provider may receive. Provider-specific ones come from the adapter. */
const BASE_FORWARD = ['content-type', 'accept'] as const;

/**
 * Picks the allow-listed client headers for one provider.
 * @param read reads one client header by lower-case name
 * @param extra the provider's own headers (version, beta, organization…)
 */
export function forwardedHeaders(read: (name: string) => string | undefined, extra: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of BASE_FORWARD) {
    const value = read(name);
    if (value !== undefined) headers[name] = value;
  }
  for (const name of extra) {
    const value = read(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

const PASSED_BACK = new Set([
  'content-type',
  'retry-after',
  'retry-after-ms',
  'request-id',
  'openai-processing-ms',
  'openai-version',
]);
const PASSED_BACK_PREFIXES = ['x-ratelimit-', 'anthropic-ratelimit-'];

/**
 * Picks the upstream response headers the client gets. The provider's `x-request-id`
 * comes back as `x-upstream-request-id`, since `x-request-id` is the gateway's own.
 */
export function returnedHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (PASSED_BACK.has(name) || PASSED_BACK_PREFIXES.some((prefix) => name.startsWith(prefix))) headers[name] = text;
    else if (name === 'x-request-id') headers['x-upstream-request-id'] = text;
  }
  return headers;
}
