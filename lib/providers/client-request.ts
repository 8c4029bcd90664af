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
 * The client's request sent on to `url`: its method, its allow-listed headers plus the
 * provider's own (`headers`: credential, version), its body (see {@link clientBody}).
 * A JSON body without a content type gets one, and a stream asks for `text/event-stream`.
 * @param refused top-level body fields the provider refuses
 */
export function clientRequest(url: string, input: CallInput, headers: Record<string, string>, refused: readonly string[] = []): UpstreamRequest {
  const sent: Record<string, string> = { ...input.headers, 'accept-encoding': 'identity', ...headers };
  if (input.rawBody !== undefined && sent['content-type'] === undefined) sent['content-type'] = 'application/json';
  if (input.stream) sent.accept = 'text/event-stream';
  return { url, method: input.method, headers: sent, body: clientBody(input, refused) };
}
