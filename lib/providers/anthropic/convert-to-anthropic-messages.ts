/**
 * OpenAI chat messages to Anthropic's `system` and `messages`: system (and developer)
 * messages become `system`, `tool` messages become `tool_result` blocks of a user turn,
 * assistant `tool_calls` become `tool_use` blocks, image parts become image blocks, and
 * consecutive messages of one role merge into one turn, since Anthropic alternates
 * user and assistant.
 *
 * @see https://docs.anthropic.com/en/api/messages#body-messages
 */
import { badRequest } from '../../errors.js';
import type { ChatMessage, Content } from '../openai-format/chat-wire.js';
import { contentText, unsupportedPart } from '../openai-format/message-text.js';
import type { Block } from './anthropic-wire.js';
import { documentToAnthropic, imageToAnthropic } from './convert-anthropic-content.js';
import { toolUseFromToolCall } from './convert-anthropic-tools.js';

type Role = 'user' | 'assistant';

/** The converted conversation. */
export interface AnthropicPrompt {
  /** One system text as a string, several as text blocks; absent without any. */
  system?: string | Array<{ type: 'text'; text: string }>;
  messages: Array<{ role: Role; content: Block[] }>;
}

const nonEmpty = (block: Block) => block.type !== 'text' || (block.text ?? '') !== '';

function contentBlocks(content: Content, provider: string): Block[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text ?? '' };
    if (part.type === 'refusal') return { type: 'text', text: part.refusal ?? '' };
    if (part.type === 'image_url' && part.image_url) return imageToAnthropic(part.image_url.url);
    if (part.type === 'file' && part.file?.file_data) return documentToAnthropic(part.file.file_data, part.file.filename, provider);
    throw unsupportedPart(part.type, provider);
  });
}

function toolResult(message: ChatMessage): Block {
  if (!message.tool_call_id) throw badRequest('A tool message needs its tool_call_id', 'messages', 'invalid_tool_message');
  return { type: 'tool_result', tool_use_id: message.tool_call_id, content: contentText(message.content, 'tool') };
}

/** Anthropic wants a user turn's tool results before anything else in it. */
function toolResultsFirst(blocks: Block[]): Block[] {
  return [...blocks.filter((block) => block.type === 'tool_result'), ...blocks.filter((block) => block.type !== 'tool_result')];
}

/**
 * Converts the messages.
 * @throws GatewayError 400 for a role or content part Anthropic cannot take, a tool
 *   message without its id, or tool call arguments that are not a JSON object
 */
export function convertToAnthropicMessages(messages: readonly ChatMessage[], provider: string): AnthropicPrompt {
  const system: string[] = [];
  const turns: AnthropicPrompt['messages'] = [];
  const add = (role: Role, blocks: Block[]) => {
    const kept = blocks.filter(nonEmpty);
    if (kept.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...kept);
    else turns.push({ role, content: kept });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content, message.role);
        if (text !== '') system.push(text);
        break;
      }
      case 'user':
        add('user', contentBlocks(message.content, provider));
        break;
      case 'assistant':
        add('assistant', [...contentBlocks(message.content, provider), ...(message.tool_calls ?? []).map(toolUseFromToolCall)]);
        break;
      case 'tool':
        add('user', [toolResult(message)]);
        break;
      default:
        throw badRequest(`Provider ${provider} cannot take messages of role "${message.role}"`, 'messages', 'unsupported_role');
    }
  }
  for (const turn of turns) if (turn.role === 'user') turn.content = toolResultsFirst(turn.content);
  const prompt: AnthropicPrompt = { messages: turns };
  if (system.length === 1) prompt.system = system[0];
  if (system.length > 1) prompt.system = system.map((text) => ({ type: 'text' as const, text }));
  return prompt;
}
