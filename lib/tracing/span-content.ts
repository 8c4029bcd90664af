/**
 * What a span may take from a request's content: the answer's `model` (always, when the
 * answer was read whole), and the prompt and answer themselves only with
 * `GATEWAY_TRACE_CONTENT=on`, each cut at {@link MAX_CONTENT_CHARS}.
 */
import type { Attributes } from '@opentelemetry/api';
import type { TraceContent } from '../request/request-meta.js';

/** The longest prompt or answer a span carries, in characters. */
export const MAX_CONTENT_CHARS = 65_536;

/** How far into an answer its `"model"` is looked for, in bytes (every dialect puts it near the start). */
const MODEL_WINDOW = 2048;
const MODEL_KEY = /"model"\s*:\s*"([^"\\]{1,200})"/;

/** The `model` of a plain answer's JSON body (`gen_ai.response.model`); undefined when not found near its start. */
export function responseModel(body: Uint8Array | undefined): string | undefined {
  if (body === undefined || body.byteLength === 0) return undefined;
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, MODEL_WINDOW)).toString('utf8');
  return MODEL_KEY.exec(head)?.[1];
}

const cut = (text: string) => (text.length > MAX_CONTENT_CHARS ? text.slice(0, MAX_CONTENT_CHARS) : text);

/**
 * Adds `gen_ai.input.messages` (the request's `messages`, `input` or `prompt` as JSON, with
 * `system` or `instructions` in `gen_ai.system_instructions`) and `gen_ai.output.messages`
 * (a plain answer's body as the client got it; a stream's is not kept).
 */
export function contentAttributes(attributes: Attributes, content: TraceContent): void {
  const request = content.request;
  if (request !== undefined) {
    const input = request.messages ?? request.input ?? request.prompt ?? request.contents;
    if (input !== undefined) attributes['gen_ai.input.messages'] = cut(JSON.stringify(input));
    const system = request.system ?? request.instructions;
    if (system !== undefined) attributes['gen_ai.system_instructions'] = cut(typeof system === 'string' ? system : JSON.stringify(system));
  }
  if (content.response !== undefined) attributes['gen_ai.output.messages'] = cut(Buffer.from(content.response.buffer, content.response.byteOffset, content.response.byteLength).toString('utf8'));
}
