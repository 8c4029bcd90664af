/**
 * The content of a Messages user turn as chat messages: `tool_result` blocks become
 * `tool` messages (whose content OpenAI allows only as text), and what a tool result
 * holds besides text (images, documents) follows them in a user message, since that is
 * the one place chat takes it; text, image and `document` blocks become a user message's
 * parts. Cache hints (`cache_control`) have no chat counterpart and are left out.
 *
 * @see https://docs.anthropic.com/en/api/messages#body-messages-content
 * @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support
 * @see https://platform.openai.com/docs/guides/pdf-files
 */
import { badRequest } from '../errors.js';
import type { Block } from '../providers/anthropic/anthropic-wire.js';
import { imageFromAnthropic } from '../providers/anthropic/convert-anthropic-content.js';
import type { ContentPart } from '../providers/openai-format/chat-wire.js';

type ChatMessage = Record<string, unknown>;
type ResultBlock = Exclude<NonNullable<Block['content']>, string>[number];

/** The 400 for a block with no chat counterpart, naming it. */
export function unsupportedBlock(type: string, where = '') {
  return badRequest(`Content blocks of type "${type}"${where} cannot be translated for this provider`, 'messages', 'unsupported_content');
}

/**
 * A `document` block as a chat part: plain text as text, a base64 PDF (or other file)
 * as a `file` part; a URL or Files API source has no chat counterpart.
 * @throws GatewayError 400 naming the block and its source type
 */
export function documentPart(block: Pick<Block, 'source' | 'title'>, where = ''): ContentPart {
  const { source } = block;
  if (source?.type === 'text' && typeof source.data === 'string') return { type: 'text', text: block.title ? `${block.title}\n\n${source.data}` : source.data };
  if (source?.type === 'base64' && source.media_type && source.data !== undefined) {
    const filename = block.title || (source.media_type === 'application/pdf' ? 'document.pdf' : 'document');
    return { type: 'file', file: { filename, file_data: `data:${source.media_type};base64,${source.data}` } };
  }
  throw badRequest(`A "document" block${where} with a source of type "${source?.type}" cannot be translated for this provider; send it as base64 or text`, 'messages', 'unsupported_content');
}

/** One block that a user message (or a tool result's follow-up) may carry, as a chat part. */
function userPart(block: Block | ResultBlock, where = ''): ContentPart {
  if (block.type === 'text') return { type: 'text', text: block.text ?? '' };
  if (block.type === 'image') return imageFromAnthropic(block as Block);
  if (block.type === 'document') return documentPart(block as Block, where);
  throw unsupportedBlock(block.type, where);
}

/** A tool result's text for its `tool` message, and its other parts for the user message after. */
function toolResult(block: Block): { text: string; extra: ContentPart[] } {
  const { content } = block;
  if (content === undefined || typeof content === 'string') return { text: content ?? '', extra: [] };
  const texts: string[] = [];
  const extra: ContentPart[] = [];
  for (const item of content) {
    if (item.type === 'text') texts.push(item.text ?? '');
    else extra.push(userPart(item, ' in a tool result'));
  }
  // A tool message with no text would tell the model nothing of what follows it.
  const text = texts.join('\n') || (extra.length > 0 ? '(the tool result is in the next message)' : '');
  return { text, extra };
}

/**
 * Converts one user turn's blocks.
 * @throws GatewayError 400 naming a block (or a source) chat cannot carry
 */
export function userMessages(blocks: readonly Block[]): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const { text, extra } = toolResult(block);
      tools.push({ role: 'tool', tool_call_id: block.tool_use_id, content: block.is_error === true ? `Error: ${text}` : text });
      parts.push(...extra);
    } else parts.push(userPart(block));
  }
  if (parts.length === 0) return tools;
  const content = parts.every((part) => part.type === 'text') ? parts.map((part) => part.text).join('\n') : parts;
  return [...tools, { role: 'user', content }];
}

/** The text of a system message or of `system`, whose blocks are text. */
export function systemText(content: string | ReadonlyArray<{ type: string; text?: string }>): string {
  if (typeof content === 'string') return content;
  return content
    .map((block) => {
      if (block.type !== 'text') throw unsupportedBlock(block.type, ' in a system message');
      return block.text ?? '';
    })
    .join('\n');
}
