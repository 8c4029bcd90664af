/**
 * Images, both ways: OpenAI's `image_url` part (a data URL or an http URL) and
 * Anthropic's `image` block (a `base64` or `url` source).
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/vision
 */
import { badRequest } from '../../errors.js';
import type { ContentPart } from '../openai-format/chat-wire.js';
import { imageDataUrl, readDataUrl, readImageUrl } from '../openai-format/image-url.js';
import type { Block } from './anthropic-wire.js';

/** Anthropic's image block for an `image_url.url`. */
export function imageToAnthropic(url: string): Block {
  const image = readImageUrl(url);
  return image.kind === 'inline'
    ? { type: 'image', source: { type: 'base64', media_type: image.mediaType, data: image.data } }
    : { type: 'image', source: { type: 'url', url: image.url } };
}

/**
 * Anthropic's `document` block for a `file` part's inline data (a PDF, or plain text).
 * @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support
 * @throws GatewayError 400 for file data that is not a base64 data URL
 */
export function documentToAnthropic(fileData: string, filename: string | undefined, provider: string): Block {
  const file = readDataUrl(fileData);
  if (!file) throw badRequest(`Provider ${provider} takes files only inline, as base64 data URLs`, 'messages', 'unsupported_content');
  const title = filename ? { title: filename } : {};
  if (file.mediaType === 'text/plain') return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(file.data, 'base64').toString('utf8') }, ...title };
  return { type: 'document', source: { type: 'base64', media_type: file.mediaType, data: file.data }, ...title };
}

/**
 * OpenAI's `image_url` part for an Anthropic image block.
 * @throws GatewayError 400 for a source that is neither base64 nor a URL (a Files API id, say)
 */
export function imageFromAnthropic(block: Block): ContentPart {
  const source = block.source;
  if (source?.type === 'base64' && source.media_type && source.data !== undefined) {
    return { type: 'image_url', image_url: { url: imageDataUrl(source.media_type, source.data) } };
  }
  if (source?.type === 'url' && source.url) return { type: 'image_url', image_url: { url: source.url } };
  throw badRequest(`An image source of type "${source?.type}" cannot be translated for this provider`, 'messages', 'unsupported_content');
}
