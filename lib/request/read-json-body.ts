/**
 * Reads a JSON request body and checks that it is one: UTF-8, not empty, an object, not
 * nested past {@link MAX_DEPTH}. What goes upstream is what was checked: a body that
 * names `model` more than once (JSON.parse keeps the last, a provider may keep the first)
 * is sent re-serialised from the parsed object.
 */
import { badRequest } from '../errors.js';

/**
 * The deepest nesting of arrays and objects accepted. Real requests (tool schemas
 * included) stay far below; far deeper JSON would overflow the stack of every recursive
 * walk over it (canonical JSON for the cache key, JSON.stringify when a model changes).
 */
export const MAX_DEPTH = 256;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MODEL_KEY = Buffer.from('"model"');

/** The deepest nesting in `raw`, counting brackets outside strings (one pass, no allocation). */
function nestingDepth(raw: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < raw.length; index += 1) {
    const byte = raw[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
  }
  return deepest;
}

/**
 * Whether `"model"` occurs twice or more outside escapes. Inside a JSON string a quote is
 * always escaped, so an unescaped `"model"` is a key or a whole string value; twice is
 * rare enough that re-serialising then costs nothing on ordinary requests.
 */
function namesModelTwice(raw: Uint8Array): boolean {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const first = bytes.indexOf(MODEL_KEY);
  return first !== -1 && bytes.indexOf(MODEL_KEY, first + MODEL_KEY.length) !== -1;
}

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
 *   malformed JSON, JSON that is not an object, or one nested past {@link MAX_DEPTH}
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
  if (nestingDepth(raw) > MAX_DEPTH) {
    throw badRequest(`The request body nests arrays and objects deeper than ${MAX_DEPTH} levels`, null, 'invalid_json');
  }
  const body = value as Record<string, unknown>;
  return { raw: namesModelTwice(raw) ? Buffer.from(JSON.stringify(body)) : raw, body };
}
