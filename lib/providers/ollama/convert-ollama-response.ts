/**
 * An Ollama `/api/chat` answer to an OpenAI chat completion. Ollama gives no answer
 * id, so one is made up; its `thinking` text comes back as `reasoning_content`.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#response-9
 */
import { randomUUID } from 'node:crypto';
import { assistantChoice, chatCompletionBody } from '../openai-format/chat-completion.js';
import { parseUpstreamJson } from '../parse-wire.js';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';
import { OllamaChatResponseSchema } from './ollama-wire.js';
import { createdOf, toolCallsOf, usageOf } from './read-ollama-message.js';

/** A made-up completion id, since Ollama sends none. */
export const ollamaCompletionId = (): string => `chatcmpl-${randomUUID()}`;

/**
 * Converts one answer.
 * @param model the attempt's model, for an answer that names none
 * @throws GatewayError 502 when the body is not an Ollama chat answer
 */
export function convertOllamaResponse(raw: Uint8Array, model: string | undefined, provider: string): Uint8Array {
  const response = parseUpstreamJson(OllamaChatResponseSchema, raw, provider);
  const toolCalls = toolCallsOf(response);
  const text = response.message?.content ?? '';
  return chatCompletionBody({
    id: ollamaCompletionId(),
    created: createdOf(response),
    model: response.model ?? model ?? '',
    choices: [assistantChoice(text, toolCalls, mapOllamaDoneReason(response.done_reason, toolCalls.length > 0), 0, response.message?.thinking ?? '')],
    usage: usageOf(response),
  });
}
