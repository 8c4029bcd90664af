/**
 * A chat completion to a Responses API `response` object: the provider's reasoning text
 * (`reasoning_content`, as OpenRouter, DeepSeek and vLLM send it) as a reasoning item, the
 * message as a `message` item with `output_text`, each tool call as a `function_call` item;
 * a length stop as `status: "incomplete"` with `incomplete_details.reason: "max_output_tokens"`.
 *
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
import { ChatCompletionSchema } from '../../providers/openai-format/chat-wire.js';
import { parseUpstreamJson } from '../../providers/parse-wire.js';
import type { ResponsesOutputItem } from './responses-wire.js';
import { endOf, functionCallItem, messageItem, newItemId, reasoningItem, responseObject, responsesUsage, type ResponseContext } from './response-object.js';

const encoder = new TextEncoder();

/**
 * Converts the answer.
 * @throws GatewayError 502 when the body is not a chat completion
 */
export function convertChatResponseToResponses(body: Uint8Array, context: ResponseContext, provider: string): Record<string, unknown> {
  const completion = parseUpstreamJson(ChatCompletionSchema, body, provider);
  const choice = completion.choices[0];
  const message = (choice?.message ?? {}) as Record<string, unknown>;
  const output: ResponsesOutputItem[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning.length > 0) output.push(reasoningItem(newItemId('rs'), reasoning));
  const content = typeof message.content === 'string' ? message.content : '';
  if (typeof message.refusal === 'string' && message.refusal.length > 0) output.push(messageItem(newItemId('msg'), '', message.refusal));
  else if (content.length > 0) output.push(messageItem(newItemId('msg'), content));
  const toolCalls = Array.isArray(message.tool_calls) ? (message.tool_calls as { id?: string; function?: { name?: string; arguments?: string } }[]) : [];
  for (const call of toolCalls) {
    output.push(functionCallItem(newItemId('fc'), call.id ?? newItemId('fc'), call.function?.name ?? '', call.function?.arguments || '{}', context.request.tools));
  }
  // An empty answer is still one (empty) message, as OpenAI's own.
  if (output.every((item) => item.type === 'reasoning')) output.push(messageItem(newItemId('msg'), ''));
  return responseObject(context, { ...endOf(choice?.finish_reason), output, usage: responsesUsage(completion.usage) });
}

/** The same, as the bytes the client gets. */
export function chatResponseToResponsesBytes(body: Uint8Array, context: ResponseContext, provider: string): Uint8Array {
  return encoder.encode(JSON.stringify(convertChatResponseToResponses(body, context, provider)));
}
