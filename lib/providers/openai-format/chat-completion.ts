/**
 * Writes OpenAI chat completion answers for the translated dialects' response
 * converters, so that each converter only decides what the answer says.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
import type { ChatUsage, FinishReason, ToolCall } from './chat-wire.js';

/**
 * One choice of an answer: the assistant's text (null when it only calls tools), tool
 * calls and reasoning text, as `reasoning_content` (the field DeepSeek, vLLM and
 * OpenRouter use), when there is any.
 */
export function assistantChoice(text: string, toolCalls: readonly ToolCall[], finishReason: FinishReason, index = 0, reasoning = '') {
  return {
    index,
    message: {
      role: 'assistant',
      content: text === '' && toolCalls.length > 0 ? null : text,
      ...(reasoning === '' ? {} : { reasoning_content: reasoning }),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      refusal: null,
    },
    logprobs: null,
    finish_reason: finishReason,
  };
}

/** What a chat completion answer holds. */
export interface CompletionParts {
  id: string;
  model: string;
  /** Unix time, in seconds. */
  created: number;
  choices: ReadonlyArray<ReturnType<typeof assistantChoice>>;
  usage: ChatUsage;
}

const encoder = new TextEncoder();

/** The `chat.completion` answer as bytes. */
export function chatCompletionBody(parts: CompletionParts): Uint8Array {
  const { id, created, model, choices, usage } = parts;
  return encoder.encode(JSON.stringify({ id, object: 'chat.completion', created, model, choices, usage }));
}
