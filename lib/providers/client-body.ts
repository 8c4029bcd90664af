/**
 * The client's JSON body as it goes to a provider that speaks the client's own format
 * (OpenAI to an OpenAI-compatible provider, Messages to Anthropic).
 */
import type { CallInput } from './types.js';

/**
 * The body to send: the client's own bytes when nothing changed, otherwise the parsed
 * body re-serialised with this attempt's `model` (and `stream: true` when the client
 * asked for a stream only through `Accept`).
 */
export function clientBody(input: CallInput): string | Uint8Array | undefined {
  const { body } = input;
  const streamAdded = input.stream && body !== undefined && body.stream !== true;
  if (!input.modelChanged && !streamAdded) return input.rawBody;
  return JSON.stringify({ ...body, model: input.model, ...(streamAdded ? { stream: true } : {}) });
}
