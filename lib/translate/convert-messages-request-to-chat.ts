/**
 * An Anthropic Messages request to an OpenAI chat completions request, for providers
 * that only speak chat: `system` (and system messages inside `messages`, which today's
 * API allows and Claude Code sends) become system messages in their place, `tool_result`
 * blocks become `tool` messages, `tool_use` blocks assistant `tool_calls`, image and
 * document blocks parts. Thinking blocks go back as `reasoning_content` to a provider
 * that takes it, and are left out elsewhere (but for the tool call extras one may carry,
 * see `tool-call-extras.ts`); cache hints are left out. The reverse of the anthropic provider's
 * request conversion, on the same mappings.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
import { badRequest } from '../errors.js';
import { MessagesRequestSchema, type Block, type MessageParam } from '../providers/anthropic/anthropic-wire.js';
import { toolCallFromToolUse, toolChoiceFromAnthropic, toolsFromAnthropic } from '../providers/anthropic/convert-anthropic-tools.js';
import { parseClientBody } from '../providers/parse-wire.js';
import { systemText, unsupportedBlock, userMessages } from './convert-messages-content.js';
import { chatUser, reasoningEffort, responseFormat } from './messages-settings-to-chat.js';
import { extrasFromSignatures } from './tool-call-extras.js';

type ChatMessage = Record<string, unknown>;

const ASSISTANT_BLOCKS = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking']);

function assistantMessage(blocks: readonly Block[], reasoningInHistory: boolean): ChatMessage {
  const other = blocks.find((block) => !ASSISTANT_BLOCKS.has(block.type));
  if (other) throw unsupportedBlock(other.type, ' in an assistant message');
  const text = blocks
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
  const extras = extrasFromSignatures(blocks.filter((block) => block.type === 'thinking').map((block) => block.signature));
  const toolCalls = blocks
    .filter((block) => block.type === 'tool_use')
    .map((block) => {
      const call = toolCallFromToolUse(block);
      const extra = extras.get(call.id);
      return extra === undefined ? call : { ...call, extra_content: extra };
    });
  const reasoning = reasoningInHistory ? blocks.map((block) => (block.type === 'thinking' ? (block.thinking ?? '') : '')).join('') : '';
  return {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    ...(reasoning === '' ? {} : { reasoning_content: reasoning }),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

function chatMessages(message: MessageParam, reasoningInHistory: boolean): ChatMessage[] {
  if (message.role === 'system') return [{ role: 'system', content: systemText(message.content) }];
  const blocks: Block[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
  if (message.role === 'user') return userMessages(blocks);
  if (message.role === 'assistant') return [assistantMessage(blocks, reasoningInHistory)];
  throw badRequest(`Messages roles are "user", "assistant" and "system", not "${message.role}"`, 'messages', 'invalid_role');
}

/**
 * Converts the body.
 * @param model this attempt's model
 * @param stream whether to ask for a stream (with its usage chunk, for the Messages usage)
 * @param maxTokensField the chat field the provider takes `max_tokens` in
 * @param reasoningInHistory whether thinking blocks sent back go as `reasoning_content`
 * @throws GatewayError 400 for a body that is not a Messages request, or content with
 *   no chat counterpart (a document by URL, server tools), naming it
 */
export function convertMessagesRequestToChat(
  body: Record<string, unknown> | undefined,
  model: string | undefined,
  stream: boolean,
  maxTokensField: 'max_tokens' | 'max_completion_tokens' = 'max_tokens',
  reasoningInHistory = false,
): Record<string, unknown> {
  const request = parseClientBody(MessagesRequestSchema, body ?? {}, 'messages');
  const mcpServers = body?.mcp_servers;
  if (Array.isArray(mcpServers) && mcpServers.length > 0) {
    // Anthropic's servers call MCP servers themselves; no other provider does.
    throw badRequest('`mcp_servers` (Anthropic\'s MCP connector) runs only on Anthropic; this provider cannot run it', 'mcp_servers', 'unsupported_tool');
  }
  const messages: ChatMessage[] = [];
  const { system } = request;
  if (system !== undefined && system.length > 0) messages.push({ role: 'system', content: systemText(system) });
  for (const message of request.messages) messages.push(...chatMessages(message, reasoningInHistory));
  const chat: Record<string, unknown> = { model, messages, [maxTokensField]: request.max_tokens };
  if (request.stop_sequences && request.stop_sequences.length > 0) chat.stop = request.stop_sequences;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.tools && request.tools.length > 0) Object.assign(chat, { tools: toolsFromAnthropic(request.tools) }, toolChoiceFromAnthropic(request.tool_choice));
  const user = chatUser(request.metadata?.user_id);
  if (user) chat.user = user;
  const effort = reasoningEffort(request);
  if (effort) chat.reasoning_effort = effort;
  const format = responseFormat(request);
  if (format) chat.response_format = format;
  if (stream) Object.assign(chat, { stream: true, stream_options: { include_usage: true } });
  return chat;
}
