/**
 * Reads the client's `Cache-Control` request directives the cache honours:
 * `no-cache` skips the lookup, `no-store` skips the write.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-5.2.1
 */

/** What the cache may do for one request. */
export interface CacheDirectives {
  lookup: boolean;
  write: boolean;
}

/** Parses a `Cache-Control` header (directive names are case-insensitive). */
export function cacheDirectives(header: string | undefined): CacheDirectives {
  if (header === undefined) return { lookup: true, write: true };
  const directives = header.toLowerCase().split(',').map((part) => part.trim().split('=')[0]);
  return { lookup: !directives.includes('no-cache'), write: !directives.includes('no-store') };
}
