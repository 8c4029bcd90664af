/**
 * Streamed usage for every chat and completions stream: OpenAI-compatible providers report
 * a stream's usage only when the request sets `stream_options.include_usage`
 * (https://platform.openai.com/docs/api-reference/chat/create#chat-create-stream_options),
 * and the gateway's own stream converters (Anthropic, Gemini, Ollama) write the usage chunk
 * only then too. So the gateway asks for it itself when the client did not, and leaves that
 * usage-only chunk (`"choices": []`) out of what the client gets. The other chunks then carry
 * `"usage": null`, which OpenAI's own clients read as no usage.
 */
import { openAIStreamFormatWithoutUsageChunk } from '../formats/openai-stream.js';
import type { StreamFormat } from '../formats/stream-format.js';
import { wantsUsage } from '../providers/openai-format/chat-chunk-writer.js';

/** The operations whose streams carry a usage chunk only when asked. */
const ASKED = new Set(['chat', 'completions']);

/** What a request sends and reads when the gateway asks for its stream's usage. */
export interface AskedUsage {
  /** The body with `stream_options.include_usage: true`. */
  body: Record<string, unknown>;
  /** That body's bytes. */
  rawBody: Uint8Array;
  /** The client's stream format that leaves the usage chunk out. */
  format: StreamFormat;
}

const ASK = Buffer.from('"stream_options":{"include_usage":true}');
const ASK_AND_COMMA = Buffer.from('"stream_options":{"include_usage":true},');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** The index of the first byte of `raw` that is not JSON whitespace, or -1. */
function firstNonSpace(raw: Uint8Array, from: number): number {
  for (let index = from; index < raw.byteLength; index += 1) {
    const byte = raw[index];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return index;
  }
  return -1;
}

/**
 * `raw` with `"stream_options":{"include_usage":true}` put first in its object, without
 * serializing the body again (an agent's body may be hundreds of KB); undefined when `raw`
 * is not an object's text.
 */
function spliced(raw: Uint8Array): Buffer | undefined {
  const open = firstNonSpace(raw, 0);
  if (open === -1 || raw[open] !== OPEN_BRACE) return undefined;
  const next = firstNonSpace(raw, open + 1);
  if (next === -1) return undefined;
  return Buffer.concat([raw.subarray(0, open + 1), raw[next] === CLOSE_BRACE ? ASK : ASK_AND_COMMA, raw.subarray(open + 1)]);
}

/**
 * The request changed to ask for its stream's usage, or undefined when nothing changes: not
 * a chat or completions stream, or the client asked for the usage chunk itself.
 * @param body the client's parsed JSON body
 * @param raw that body's bytes, when the client sent them: a body without `stream_options`
 *   gets the option put into its bytes rather than being serialized again
 */
export function askStreamUsage(operation: string, stream: boolean, body: Record<string, unknown> | undefined, raw?: Uint8Array): AskedUsage | undefined {
  if (!stream || body === undefined || !ASKED.has(operation) || wantsUsage(body)) return undefined;
  const present = body.stream_options !== undefined;
  const options = body.stream_options !== null && typeof body.stream_options === 'object' ? body.stream_options : {};
  const asked = { ...body, stream_options: { ...options, include_usage: true } };
  const rawBody = (!present && raw !== undefined ? spliced(raw) : undefined) ?? Buffer.from(JSON.stringify(asked));
  return { body: asked, rawBody, format: openAIStreamFormatWithoutUsageChunk };
}
