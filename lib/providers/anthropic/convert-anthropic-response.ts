/**
 * An Anthropic message to an OpenAI chat completion: text blocks joined as `content`,
 * thinking blocks as `reasoning_content`, `tool_use` blocks as `tool_calls` (but the
 * forced JSON tool of a `json_object` request, whose input is the content), the stop
 * reason as `finish_reason`, and `usage`.
 *
 * @see https://docs.anthropic.com/en/api/messages#response-content
 */
import { nowSeconds } from '../openai-format/chat-chunk-writer.js';
import { assistantChoice, chatCompletionBody } from '../openai-format/chat-completion.js';
import { parseUpstreamJson } from '../parse-wire.js';
import { JSON_TOOL } from './anthropic-output-settings.js';
import { MessageSchema, type Block } from './anthropic-wire.js';
import { toolCallFromToolUse } from './convert-anthropic-tools.js';
import { usageFromAnthropic } from './convert-anthropic-usage.js';
import { finishReasonFromAnthropic } from './map-anthropic-stop-reason.js';

const textOf = (blocks: readonly Block[], type: string, field: 'text' | 'thinking') =>
  blocks
    .filter((block) => block.type === type)
    .map((block) => block[field] ?? '')
    .join('');

/**
 * Converts one answer.
 * @param jsonTool whether the request forced {@link JSON_TOOL} (a `json_object` request)
 * @throws GatewayError 502 when the body is not an Anthropic message
 */
export function convertAnthropicResponse(raw: Uint8Array, provider: string, jsonTool = false): Uint8Array {
  const message = parseUpstreamJson(MessageSchema, raw, provider);
  const isJson = (block: Block) => jsonTool && block.type === 'tool_use' && block.name === JSON_TOOL;
  const json = message.content.find(isJson);
  const text = json ? JSON.stringify(json.input ?? {}) : textOf(message.content, 'text', 'text');
  const toolCalls = message.content.filter((block) => block.type === 'tool_use' && !isJson(block)).map(toolCallFromToolUse);
  const finish = json && toolCalls.length === 0 ? 'stop' : (finishReasonFromAnthropic(message.stop_reason) ?? 'stop');
  return chatCompletionBody({
    id: message.id,
    created: nowSeconds(),
    model: message.model,
    choices: [assistantChoice(text, toolCalls, finish, 0, textOf(message.content, 'thinking', 'thinking'))],
    usage: usageFromAnthropic(message.usage),
  });
}
