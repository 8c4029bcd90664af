/**
 * Writes OpenAI chat stream events for the translated dialects' stream converters, so
 * that each converter only decides what to say, not how a chunk looks.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
import { addArrivedText, noOutput } from '../../usage/arrived-output.js';
import type { SseEvent } from '../types.js';
import type { ChatUsage, FinishReason, ToolCall } from './chat-wire.js';

/** What a chunk's delta may carry. */
export interface ChunkDelta {
  role?: 'assistant';
  content?: string;
  /** Reasoning text, as DeepSeek, vLLM and OpenRouter stream it. */
  reasoning_content?: string;
  tool_calls?: Array<{ index: number; id?: string; type?: 'function'; function: { name?: string; arguments: string } }>;
}

/** The stream's identity, known from the provider's first event. */
export interface ChunkIdentity {
  id: string;
  model: string;
  /** Unix time, in seconds. */
  created: number;
}

/** Writes the chunks of one stream. */
export class ChatChunkWriter {
  /** The answer text written so far (content, reasoning, tool arguments), for a stream cut before its usage; chunks are the client format's to count. */
  readonly arrived = noOutput();

  constructor(public identity: ChunkIdentity) {}

  private event(body: Record<string, unknown>): SseEvent {
    const { id, created, model } = this.identity;
    return { data: JSON.stringify({ id, object: 'chat.completion.chunk', created, model, ...body }) };
  }

  /** A chunk with one choice's delta and, on its last chunk, the finish reason. */
  delta(delta: ChunkDelta, finishReason: FinishReason | null = null, index = 0): SseEvent {
    if (delta.content) addArrivedText(delta.content, this.arrived);
    if (delta.reasoning_content) addArrivedText(delta.reasoning_content, this.arrived);
    if (delta.tool_calls) for (const call of delta.tool_calls) addArrivedText(call.function.arguments, this.arrived);
    return this.event({ choices: [{ index, delta, logprobs: null, finish_reason: finishReason }] });
  }

  /** The usage-only chunk of `stream_options.include_usage`: empty `choices`, then `usage`. */
  usage(usage: ChatUsage): SseEvent {
    return this.event({ choices: [], usage });
  }

  /** The end of a finished stream. */
  done(): SseEvent {
    return { data: '[DONE]' };
  }

  /** An error inside a 200 stream, in OpenAI's error shape. */
  error(message: string, type: string, code: string | null = null): SseEvent {
    return { data: JSON.stringify({ error: { message, type, code, param: null } }) };
  }
}

/**
 * Tool-call deltas for calls a provider sends whole (Gemini, Ollama): each with its id,
 * name and all its arguments at once, numbered on from `firstIndex`.
 */
export function wholeToolCallDeltas(calls: readonly ToolCall[], firstIndex: number): NonNullable<ChunkDelta['tool_calls']> {
  return calls.map((call, offset) => ({ index: firstIndex + offset, ...call, type: 'function' }));
}

/**
 * OpenAI's `usage` object from prompt and completion counts (tokens). The details go in
 * when not zero: cache reads as `prompt_tokens_details.cached_tokens`, cache writes as
 * `prompt_tokens_details.cache_write_tokens` (the gateway's name: OpenAI bills no writes),
 * reasoning as `completion_tokens_details.reasoning_tokens`; each is a part of its total.
 */
export function chatUsage(promptTokens: number, completionTokens: number, cachedTokens?: number, cacheWriteTokens?: number, reasoningTokens?: number): ChatUsage {
  const promptDetails = {
    ...(cachedTokens ? { cached_tokens: cachedTokens } : {}),
    ...(cacheWriteTokens ? { cache_write_tokens: cacheWriteTokens } : {}),
  };
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(cachedTokens || cacheWriteTokens ? { prompt_tokens_details: promptDetails } : {}),
    ...(reasoningTokens ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
  };
}

/** Whether the client asked for the usage chunk at the end of its stream. */
export function wantsUsage(body: Record<string, unknown> | undefined): boolean {
  const options = body?.stream_options;
  return options !== null && typeof options === 'object' && (options as { include_usage?: unknown }).include_usage === true;
}

/** Unix time in seconds, for `created` when a provider gives none. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
