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
 * @param providerSegment whether the path starts with a `/{provider}` segment before `/v1`
 * @throws GatewayError 400 for a `.` or `..` segment (raw or percent-encoded), a control
 *   character, or percent-encoding that does not decode
 */
export function v1Path(url: string, providerSegment: boolean): V1Path {
  const pathStart = url.indexOf('/', url.indexOf('://') + 3);
  const queryStart = url.indexOf('?', pathStart);
  const fullPath = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
  // The router matched `/v1/*` or `/:provider/v1/*`: skip the segments before the rest.
  const v1Start = providerSegment ? fullPath.indexOf('/', 1) : 0;
  const path = fullPath.slice(v1Start + 3);
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
