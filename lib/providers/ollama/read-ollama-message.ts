/**
 * What an Ollama answer (or one line of its stream) says in OpenAI's terms: tool calls
 * with JSON-text arguments and ids, the creation time, and the usage. Shared by the
 * answer and the stream conversion.
 */
import { chatUsage, nowSeconds } from '../openai-format/chat-chunk-writer.js';
import type { ChatUsage, ToolCall } from '../openai-format/chat-wire.js';
import { newToolCallId } from '../openai-format/tool-calls.js';
import { unixSeconds } from '../model-list.js';
import type { OllamaChatResponse } from './ollama-wire.js';

/** The message's tool calls in OpenAI's shape; Ollama may leave out their ids. */
export function toolCallsOf(response: OllamaChatResponse): ToolCall[] {
  return (response.message?.tool_calls ?? []).map((call) => ({
    id: call.id ?? newToolCallId(),
    type: 'function',
    function: { name: call.function.name, arguments: JSON.stringify(call.function.arguments ?? {}) },
  }));
}

/** `created_at` (RFC 3339) as Unix seconds; now when absent or unreadable. */
export function createdOf(response: OllamaChatResponse): number {
  return unixSeconds(response.created_at) ?? nowSeconds();
}

/** OpenAI's usage for Ollama's prompt and completion counts. */
export function usageOf(response: OllamaChatResponse): ChatUsage {
  return chatUsage(response.prompt_eval_count ?? 0, response.eval_count ?? 0);
}
