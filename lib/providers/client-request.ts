/**
 * The client's own request as it goes to a provider that speaks the client's format
 * (OpenAI to an OpenAI-compatible provider, Messages to Anthropic), or to a translated
 * provider's own API for a path the gateway does not translate.
 */
import type { CallInput, UpstreamRequest } from './types.js';

/**
 * The body to send: the client's own bytes when nothing changed, otherwise the parsed
 * body re-serialised with this attempt's `model` (and `stream: true` when the client
 * asked for a stream only through `Accept`).
 * @param refused top-level fields the provider refuses, left out when present
 */
export function clientBody(input: CallInput, refused: readonly string[] = []): string | Uint8Array | undefined {
  const { body } = input;
  const streamAdded = input.stream && body !== undefined && body.stream !== true;
  const refusedPresent = body !== undefined && refused.some((field) => field in body);
  if (!input.modelChanged && !streamAdded && !refusedPresent) return input.rawBody;
  const rewritten: Record<string, unknown> = { ...body, model: input.model, ...(streamAdded ? { stream: true } : {}) };
  for (const field of refused) delete rewritten[field];
  return JSON.stringify(rewritten);
}

/**
 * The client's request sent on to `url` unchanged: its method, its allow-listed headers
 * plus the provider's own (`headers`: credential, version), its body.
 */
export function clientRequest(url: string, input: CallInput, headers: Record<string, string>): UpstreamRequest {
  return { url, method: input.method, headers: { ...input.headers, 'accept-encoding': 'identity', ...headers }, body: clientBody(input) };
}
