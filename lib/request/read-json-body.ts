/**
 * Reads a JSON request body and checks that it is one: UTF-8, not empty, an object.
 */
import { badRequest } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The client's body, as bytes and parsed. */
export interface JsonBody {
  raw: Uint8Array;
  body: Record<string, unknown>;
}

/**
 * Whether `raw` starts like UTF-16: a byte-order mark, or a NUL in the first two bytes
 * (JSON text starts with ASCII, which UTF-16 pads with a zero byte).
 */
function looksLikeUtf16(raw: Uint8Array): boolean {
  const first = raw[0];
  const second = raw[1];
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff) || first === 0 || second === 0;
}

/**
 * Parses `raw` as a JSON object.
 * @throws GatewayError 400 for an empty body, UTF-16 or other bytes that are not UTF-8,
 *   malformed JSON, or JSON that is not an object
 */
export function parseJsonBody(raw: Uint8Array): JsonBody {
  if (raw.byteLength === 0) throw badRequest('The request body is empty; send a JSON object', null, 'empty_body');
  if (looksLikeUtf16(raw)) throw badRequest('The request body looks like UTF-16; send it as UTF-8', null, 'invalid_encoding');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw badRequest('The request body is not valid UTF-8', null, 'invalid_encoding');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`, null, 'invalid_json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('The request body must be a JSON object', null, 'invalid_json');
  }
  return { raw, body: value as Record<string, unknown> };
}
