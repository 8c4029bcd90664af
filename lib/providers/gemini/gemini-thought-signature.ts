/**
 * Gemini's thought signatures on function calls ride in a tool call's
 * `extra_content.google.thought_signature`, as in Google's own OpenAI-compatible API,
 * so that a client that sends the assistant message back unchanged returns them.
 *
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 * @see https://ai.google.dev/gemini-api/docs/openai#thinking
 */
import type { ToolCall } from '../openai-format/chat-wire.js';

/** The signature a tool call carries, if any. */
export function thoughtSignatureOf(call: ToolCall): string | undefined {
  const google = (call.extra_content as { google?: { thought_signature?: unknown } } | undefined)?.google;
  return typeof google?.thought_signature === 'string' ? google.thought_signature : undefined;
}

/** The `extra_content` field that carries `signature` on a tool call (nothing without one). */
export function withThoughtSignature(signature: string | undefined): { extra_content?: { google: { thought_signature: string } } } {
  return signature === undefined ? {} : { extra_content: { google: { thought_signature: signature } } };
}
