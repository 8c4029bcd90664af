/**
 * Reads the client's `Cache-Control` request directives the cache honours: `no-cache`
 * skips the lookup, `no-store` skips the write, `max-age=N` accepts a stored answer up to
 * N seconds old (and, for chat, completions and messages under `GATEWAY_CACHE=auto`, is
 * how a request asks to be cached at all).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-5.2.1
 */

/** What the cache may do for one request. */
export interface CacheDirectives {
  lookup: boolean;
  write: boolean;
  /** The oldest stored answer the client accepts, in ms; undefined when it set no `max-age`. */
  maxAgeMs?: number;
}

const MAX_AGE = /^max-age\s*=\s*"?(\d+)"?$/;

/** Parses a `Cache-Control` header (directive names are case-insensitive). */
export function cacheDirectives(header: string | undefined): CacheDirectives {
  if (header === undefined) return { lookup: true, write: true };
  const directives = header.toLowerCase().split(',').map((part) => part.trim());
  let maxAgeMs: number | undefined;
  for (const directive of directives) {
    const match = MAX_AGE.exec(directive);
    // RFC 9111 5.2.1.1: a delta-seconds too large to represent counts as 2^31.
    if (match) maxAgeMs = Math.min(Number(match[1]), 2 ** 31) * 1000;
  }
  const names = directives.map((directive) => directive.split('=')[0].trim());
  return { lookup: !names.includes('no-cache'), write: !names.includes('no-store'), ...(maxAgeMs === undefined ? {} : { maxAgeMs }) };
}
