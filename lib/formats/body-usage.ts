/**
 * Reads the token `usage` of a non-streamed answer without parsing the whole body: the
 * last `"usage"` key is found with a native byte search (OpenAI and Anthropic both put
 * `usage` last), and only its object is parsed. An answer without one has no usage.
 */
import { readUsage, type Usage } from './stream-format.js';

const KEY = Buffer.from('"usage"');
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
/** `"usage"` keys looked at, from the last one back, before giving up. */
const MAX_TRIES = 4;

/** The index just past the object that starts at `start`, or -1 when it never closes. */
function objectEnd(bytes: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN) depth += 1;
    else if (byte === CLOSE && --depth === 0) return index + 1;
  }
  return -1;
}

/** The usage object whose key starts at `at`, or undefined when `at` is not such a key. */
function usageAt(bytes: Buffer, at: number): Usage | undefined {
  let start = at + KEY.length;
  while (start < bytes.length && bytes[start] !== OPEN) {
    // Only a colon and whitespace may stand between the key and its object.
    if (bytes[start] !== 0x3a && bytes[start] > 0x20) return undefined;
    start += 1;
  }
  const end = objectEnd(bytes, start);
  if (end === -1) return undefined;
  try {
    return readUsage(JSON.parse(bytes.toString('utf8', start, end)));
  } catch {
    // Not JSON after all: this "usage" was not the answer's.
    return undefined;
  }
}

/**
 * The `usage` of a JSON answer body (`prompt_tokens`/`completion_tokens`, or Anthropic's
 * `input_tokens`/`output_tokens`), or undefined when it has none that parses.
 */
export function usageFromBody(body: Uint8Array): Usage | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let tries = MAX_TRIES;
  for (let at = bytes.lastIndexOf(KEY); at !== -1 && tries > 0; at = at === 0 ? -1 : bytes.lastIndexOf(KEY, at - 1), tries -= 1) {
    const usage = usageAt(bytes, at);
    if (usage) return usage;
  }
  return undefined;
}
