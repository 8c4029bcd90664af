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

/**
 * The request changed to ask for its stream's usage, or undefined when nothing changes: not
 * a chat or completions stream, or the client asked for the usage chunk itself.
 * @param body the client's parsed JSON body
 */
export function askStreamUsage(operation: string, stream: boolean, body: Record<string, unknown> | undefined): AskedUsage | undefined {
  if (!stream || body === undefined || !ASKED.has(operation) || wantsUsage(body)) return undefined;
  const options = body.stream_options !== null && typeof body.stream_options === 'object' ? body.stream_options : {};
  const asked = { ...body, stream_options: { ...options, include_usage: true } };
  return { body: asked, rawBody: Buffer.from(JSON.stringify(asked)), format: openAIStreamFormatWithoutUsageChunk };
}
