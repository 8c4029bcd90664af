/**
 * An estimate of a Messages request's input tokens, for `POST /v1/messages/count_tokens`
 * in front of a provider that has no such endpoint: its text (system, messages, tool
 * definitions, tool calls and results) counted with OpenAI's `o200k_base` tokenizer
 * (`gpt-tokenizer`), plus a few tokens per message for the roles, and fixed amounts for
 * images and PDF pages, whose tokens depend on the model. Another model's tokenizer
 * counts differently: the answer is an estimate, and says so in a header.
 *
 * @see https://docs.anthropic.com/en/api/messages-count-tokens
 * @see https://docs.anthropic.com/en/docs/build-with-claude/vision#calculate-image-costs
 * @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support#estimate-your-costs
 */
import { MessagesRequestSchema, type Block, type MessagesRequest } from '../providers/anthropic/anthropic-wire.js';
import { parseClientBody } from '../providers/parse-wire.js';

/** Counts the tokens of a text. */
export type CountTokens = (text: string) => number;

/** Tokens per image: Anthropic's figure for an image near its 1.15 megapixel limit. */
export const IMAGE_TOKENS = 1600;
/** Tokens per PDF page: Anthropic's lower figure for a page's text and image. */
export const PDF_PAGE_TOKENS = 1500;
/** Tokens a message's role and framing take. */
const MESSAGE_TOKENS = 3;

type Piece = { type: string; text?: string; source?: Block['source'] };

/** PDF pages, counted as `/Type /Page` objects in the file. */
function pdfPages(base64: string): number {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  return Math.max(1, (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length);
}

function pieceTokens(piece: Piece, count: CountTokens): number {
  if (piece.type === 'image') return IMAGE_TOKENS;
  if (piece.type === 'document') {
    const { source } = piece;
    if (source?.type === 'text' && source.data) return count(source.data);
    if (source?.type === 'base64' && source.data && source.media_type === 'application/pdf') return pdfPages(source.data) * PDF_PAGE_TOKENS;
    return PDF_PAGE_TOKENS;
  }
  return piece.text ? count(piece.text) : 0;
}

function blockTokens(block: Block, count: CountTokens): number {
  switch (block.type) {
    case 'tool_use':
      return count(`${block.name ?? ''} ${JSON.stringify(block.input ?? {})}`);
    case 'tool_result':
      if (typeof block.content === 'string') return count(block.content);
      return (block.content ?? []).reduce((sum, item) => sum + pieceTokens(item, count), 0);
    case 'thinking':
      return count(block.thinking ?? '');
    default:
      return pieceTokens(block, count);
  }
}

function requestTokens(request: MessagesRequest, count: CountTokens): number {
  const { system } = request;
  let total = typeof system === 'string' ? count(system) : (system ?? []).reduce((sum, block) => sum + count(block.text), 0);
  for (const message of request.messages) {
    total += MESSAGE_TOKENS;
    total += typeof message.content === 'string' ? count(message.content) : message.content.reduce((sum, block) => sum + blockTokens(block, count), 0);
  }
  for (const tool of request.tools ?? []) total += count(JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.input_schema }));
  return total;
}

/**
 * The estimate for a `count_tokens` body.
 * @throws GatewayError 400 for a body that is not a Messages request
 */
export function estimateInputTokens(body: Record<string, unknown>, count: CountTokens): number {
  // `max_tokens` is no part of a count_tokens request.
  const request = parseClientBody(MessagesRequestSchema, { max_tokens: 0, ...body }, 'count_tokens');
  return requestTokens(request, count);
}
