/**
 * Reads the text of OpenAI message content where a dialect only takes text (system
 * prompts, tool results).
 */
import { badRequest } from '../../errors.js';
import type { Content } from './chat-wire.js';

/**
 * The content's text parts, joined by `separator`.
 * @param role the message's role, for the message of the error
 * @throws GatewayError 400 when the content holds a part other than text
 */
export function contentText(content: Content, role: string, separator = '\n'): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw badRequest(`A ${role} message may only hold text parts, not "${part.type}"`, 'messages', 'unsupported_content');
      }
      return part.text;
    })
    .join(separator);
}

/** The 400 for a content part type that a dialect cannot carry. */
export function unsupportedPart(type: string, provider: string) {
  const what = type === 'file' ? '"file" (a document)' : `"${type}"`;
  return badRequest(`Provider ${provider} cannot take content parts of type ${what}`, 'messages', 'unsupported_content');
}
