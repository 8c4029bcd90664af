/**
 * The request path, as the client sent it: split into the part after a `/v1` prefix and
 * its query (keeping the client's own percent-encoding), and checked for anything that
 * could reach somewhere else upstream.
 */
import { badRequest } from '../errors.js';

/** The parts of a `…/v1/…` URL the gateway routes on. */
export interface V1Path {
  /** The path after `/v1`, still percent-encoded, e.g. `/chat/completions`. */
  path: string;
  /** The query with its `?`, or the empty string. */
  query: string;
}

const DOT_SEGMENT = /(^|[/\\])\.\.?([/\\]|$)/;
/** An empty segment (`/v1//usage`): upstreams collapse it, so it would reach a path the gateway owns. */
const EMPTY_SEGMENT = /[/\\][/\\]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Decoding rounds: `%252e%252e` is `..` after two; an upstream that decodes twice must not see one. */
const MAX_DECODE_ROUNDS = 3;
const PERCENT_BYTE = /%([0-9a-fA-F]{2})/g;

/** The path of a request target (`/a/b?q`, or absolute `http://host/a/b?q`), without its query. */
export function targetPath(target: string): string {
  const scheme = target.indexOf('://');
  const pathStart = scheme === -1 ? target.indexOf('/') : target.indexOf('/', scheme + 3);
  if (pathStart === -1) return '/';
  const queryStart = target.indexOf('?', pathStart);
  return queryStart === -1 ? target.slice(pathStart) : target.slice(pathStart, queryStart);
}

/**
 * Refuses a path with a `.` or `..` segment or an empty one (raw, or percent-encoded in any
 * case, even twice), a control character, or percent-encoding that does not decode.
 * @param path a path without its query, as sent (not normalised)
 * @throws GatewayError 400 `invalid_path`
 */
export function checkPath(path: string): void {
  let decoded = path;
  try {
    if (path.includes('%')) decoded = decodeURIComponent(path);
  } catch {
    // A `%` that starts no valid escape: say so instead of letting an upstream guess.
    throw badRequest('The request path holds malformed percent-encoding', null, 'invalid_path');
  }
  for (let round = 0; ; round += 1) {
    if (DOT_SEGMENT.test(decoded)) throw badRequest('The request path may not hold "." or ".." segments', null, 'invalid_path');
    if (CONTROL.test(decoded)) throw badRequest('The request path may not hold control characters', null, 'invalid_path');
    if (EMPTY_SEGMENT.test(decoded)) throw badRequest('The request path may not hold empty segments ("//")', null, 'invalid_path');
    if (round === MAX_DECODE_ROUNDS || !decoded.includes('%')) return;
    // Later rounds decode byte by byte: a literal `%` (from `%25`) is legal, only dots and
    // control characters matter, and both are ASCII.
    decoded = decoded.replace(PERCENT_BYTE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

/**
 * Reads the `/v1` part of `url`. The path itself is checked once per request, on the raw
 * target, by the request guard (`middleware/guard-request.ts`).
 * @param providerSegment whether the path starts with a `/{provider}` segment before `/v1`
 */
export function v1Path(url: string, providerSegment: boolean): V1Path {
  const pathStart = url.indexOf('/', url.indexOf('://') + 3);
  const queryStart = url.indexOf('?', pathStart);
  const fullPath = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
  // The router matched `/v1/*` or `/:provider/v1/*`: skip the segments before the rest.
  const v1Start = providerSegment ? fullPath.indexOf('/', 1) : 0;
  return { path: fullPath.slice(v1Start + 3), query: queryStart === -1 ? '' : url.slice(queryStart) };
}
