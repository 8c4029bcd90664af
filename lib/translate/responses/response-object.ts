/**
 * The Responses API's `response` object and output items, as the translation writes them
 * for an answer that came from chat (both the non-stream answer and the events of a stream
 * carry them), and the usage and status mapping from chat's.
 *
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
import { randomBytes } from 'node:crypto';
import type { ResponsesOutputItem, ResponsesRequest, ResponsesUsage } from './responses-wire.js';
import { responsesToolName } from './tool-names.js';

/** A new id with OpenAI's prefix for its kind: `resp`, `msg`, `fc`, `rs`. */
export function newItemId(prefix: 'resp' | 'msg' | 'fc' | 'rs'): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

/** What a response echoes of its request, and who it is. */
export interface ResponseContext {
  /** `resp_…`, chosen by the gateway before the upstream call. */
  id: string;
  /** Unix time in seconds. */
  createdAt: number;
  /** The model the answering provider was asked for. */
  model: string;
  request: ResponsesRequest;
}

/** How a response ended. */
export interface ResponseEnd {
  status: 'completed' | 'incomplete' | 'failed' | 'in_progress';
  output: ResponsesOutputItem[];
  usage?: ResponsesUsage;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
  error?: { code: string; message: string };
}

/** The `response` object. */
export function responseObject(context: ResponseContext, end: ResponseEnd): Record<string, unknown> {
  const { request } = context;
  return {
    id: context.id,
    object: 'response',
    created_at: context.createdAt,
    status: end.status,
    ...(end.status === 'completed' ? { completed_at: Math.floor(Date.now() / 1000) } : {}),
    error: end.error ?? null,
    incomplete_details: end.incompleteReason ? { reason: end.incompleteReason } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: context.model,
    output: end.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: end.usage ?? null,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

/** A finished assistant message item holding `text` (or a refusal). */
export function messageItem(id: string, text: string, refusal?: string): ResponsesOutputItem {
  const part = refusal === undefined ? { type: 'output_text', text, annotations: [], logprobs: [] } : { type: 'refusal', refusal };
  return { type: 'message', id, status: 'completed', role: 'assistant', content: [part] };
}

/** A finished function call item; `name` as chat named it, split back into name and namespace. */
export function functionCallItem(id: string, callId: string, chatName: string, args: string, tools: ResponsesRequest['tools']): ResponsesOutputItem {
  const { name, namespace } = responsesToolName(chatName, tools);
  return { type: 'function_call', id, call_id: callId, name, ...(namespace ? { namespace } : {}), arguments: args, status: 'completed' };
}

/** A reasoning item whose summary is the provider's reasoning text. */
export function reasoningItem(id: string, text: string): ResponsesOutputItem {
  return { type: 'reasoning', id, summary: [{ type: 'summary_text', text }] };
}

/** Chat's `finish_reason` as the response's status. */
export function endOf(finishReason: string | null | undefined): Pick<ResponseEnd, 'status' | 'incompleteReason'> {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

/** Chat's `usage` in the Responses API's names; undefined when the answer carried none. */
export function responsesUsage(usage: unknown): ResponsesUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const chat = usage as Record<string, unknown>;
  const count = (value: unknown) => (typeof value === 'number' ? value : 0);
  const input = count(chat.prompt_tokens);
  const output = count(chat.completion_tokens);
  const details = chat.prompt_tokens_details as Record<string, unknown> | undefined;
  const cached = count(details?.cached_tokens);
  // The gateway's own name for cache writes (an Anthropic or Gemini provider's), kept for its cost.
  const written = count(details?.cache_write_tokens);
  const reasoning = count((chat.completion_tokens_details as Record<string, unknown> | undefined)?.reasoning_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached, ...(written > 0 ? { cache_write_tokens: written } : {}) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: typeof chat.total_tokens === 'number' ? chat.total_tokens : input + output,
  };
}
