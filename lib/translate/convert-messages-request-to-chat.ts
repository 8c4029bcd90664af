/**
 * An Anthropic Messages request to an OpenAI chat completions request, for providers
 * that only speak chat: `system` becomes a system message, `tool_result` blocks become
 * `tool` messages, `tool_use` blocks assistant `tool_calls`, image blocks image parts.
 * The reverse of the anthropic provider's request conversion, on the same mappings.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
import { badRequest } from '../errors.js';
import { MessagesRequestSchema, type Block, type MessageParam } from '../providers/anthropic/anthropic-wire.js';
import { imageFromAnthropic } from '../providers/anthropic/convert-anthropic-content.js';
import { toolCallFromToolUse, toolChoiceFromAnthropic, toolsFromAnthropic } from '../providers/anthropic/convert-anthropic-tools.js';
import type { ContentPart } from '../providers/openai-format/chat-wire.js';
import { parseClientBody } from '../providers/parse-wire.js';

type ChatMessage = Record<string, unknown>;

function unsupported(type: string, where = '') {
  return badRequest(`Content blocks of type "${type}"${where} cannot be translated for this provider`, 'messages', 'unsupported_content');
}

/** A tool result's content as the text of a `tool` message. */
function toolResultText(content: Block['content']): string {
  if (content === undefined || typeof content === 'string') return content ?? '';
  return content
    .map((block) => {
      if (block.type !== 'text') throw unsupported(block.type, ' in a tool result');
      return block.text ?? '';
    })
    .join('\n');
}

function userMessages(blocks: readonly Block[]): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') tools.push({ role: 'tool', tool_call_id: block.tool_use_id, content: toolResultText(block.content) });
    else if (block.type === 'text') parts.push({ type: 'text', text: block.text ?? '' });
    else if (block.type === 'image') parts.push(imageFromAnthropic(block));
    else throw unsupported(block.type);
  }
  if (parts.length === 0) return tools;
  const content = parts.length === 1 && parts[0].type === 'text' ? parts[0].text : parts;
  return [...tools, { role: 'user', content }];
}

function assistantMessage(blocks: readonly Block[]): ChatMessage {
  const text = blocks
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
  // Thinking blocks only mean something to the model that wrote them.
  const toolCalls = blocks.filter((block) => block.type === 'tool_use').map(toolCallFromToolUse);
  const other = blocks.find((block) => !['text', 'tool_use', 'thinking', 'redacted_thinking'].includes(block.type));
  if (other) throw unsupported(other.type);
  return { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
}

function chatMessages(message: MessageParam): ChatMessage[] {
  const blocks: Block[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
  if (message.role === 'user') return userMessages(blocks);
  if (message.role === 'assistant') return [assistantMessage(blocks)];
  throw badRequest(`Messages roles are "user" and "assistant", not "${message.role}"`, 'messages', 'invalid_role');
}

/**
 * Converts the body.
 * @param model this attempt's model
 * @param stream whether to ask for a stream (with its usage chunk, for the Messages usage)
 * @param maxTokensField the chat field the provider takes `max_tokens` in
 * @throws GatewayError 400 for a body that is not a Messages request, or content with
 *   no chat counterpart (documents, server tools)
 */
export function convertMessagesRequestToChat(
  body: Record<string, unknown> | undefined,
  model: string | undefined,
  stream: boolean,
  maxTokensField: 'max_tokens' | 'max_completion_tokens' = 'max_tokens',
): Record<string, unknown> {
  const request = parseClientBody(MessagesRequestSchema, body ?? {}, 'messages');
  const messages: ChatMessage[] = [];
  const { system } = request;
  if (system !== undefined && system.length > 0) {
    messages.push({ role: 'system', content: typeof system === 'string' ? system : system.map((block) => block.text).join('\n') });
  }
  for (const message of request.messages) messages.push(...chatMessages(message));
  const chat: Record<string, unknown> = { model, messages, [maxTokensField]: request.max_tokens };
  if (request.stop_sequences && request.stop_sequences.length > 0) chat.stop = request.stop_sequences;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.tools && request.tools.length > 0) Object.assign(chat, { tools: toolsFromAnthropic(request.tools) }, toolChoiceFromAnthropic(request.tool_choice));
  if (request.metadata?.user_id) chat.user = request.metadata.user_id;
  if (stream) Object.assign(chat, { stream: true, stream_options: { include_usage: true } });
  return chat;
}
