/**
 * An Anthropic message to an OpenAI chat completion: text blocks joined as `content`,
 * `tool_use` blocks as `tool_calls`, the stop reason as `finish_reason`, and `usage`.
 * Thinking blocks have no OpenAI counterpart and are left out.
 *
 * @see https://docs.anthropic.com/en/api/messages#response-content
 */
import { nowSeconds } from '../openai-format/chat-chunk-writer.js';
import { assistantChoice, chatCompletionBody } from '../openai-format/chat-completion.js';
import { parseUpstreamJson } from '../parse-wire.js';
import { MessageSchema } from './anthropic-wire.js';
import { toolCallFromToolUse } from './convert-anthropic-tools.js';
import { usageFromAnthropic } from './convert-anthropic-usage.js';
import { finishReasonFromAnthropic } from './map-anthropic-stop-reason.js';

/**
 * Converts one answer.
 * @throws GatewayError 502 when the body is not an Anthropic message
 */
export function convertAnthropicResponse(raw: Uint8Array, provider: string): Uint8Array {
  const message = parseUpstreamJson(MessageSchema, raw, provider);
  const text = message.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
  const toolCalls = message.content.filter((block) => block.type === 'tool_use').map(toolCallFromToolUse);
  return chatCompletionBody({
    id: message.id,
    created: nowSeconds(),
    model: message.model,
    choices: [assistantChoice(text, toolCalls, finishReasonFromAnthropic(message.stop_reason) ?? 'stop')],
    usage: usageFromAnthropic(message.usage),
  });
}
