/**
 * Splits a request URL into the path after a `/v1` prefix and its query, keeping the
 * client's own percent-encoding, and refuses paths that could reach somewhere else
 * upstream.
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
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Reads the `/v1` part of `url`.
 * @param prefixLength characters of the path before `/v1` (`/groq` is 5)
 * @throws GatewayError 400 for a `.` or `..` segment (raw or percent-encoded), a control
 *   character, or percent-encoding that does not decode
 */
export function v1Path(url: string, prefixLength: number): V1Path {
  const pathStart = url.indexOf('/', url.indexOf('://') + 3);
  const queryStart = url.indexOf('?', pathStart);
  const fullPath = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
  const path = fullPath.slice(prefixLength + 3);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw badRequest('The request path holds malformed percent-encoding', null, 'invalid_path');
  }
  if (DOT_SEGMENT.test(decoded)) throw badRequest('The request path may not hold "." or ".." segments', null, 'invalid_path');
  if (CONTROL.test(decoded)) throw badRequest('The request path may not hold control characters', null, 'invalid_path');
  return { path, query: queryStart === -1 ? '' : url.slice(queryStart) };
}
