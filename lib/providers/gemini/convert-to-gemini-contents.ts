/**
 * OpenAI chat messages to Gemini's `systemInstruction` and `contents`: roles `user` and
 * `model`, text and images as parts, assistant tool calls as `functionCall` parts and
 * `tool` messages as `functionResponse` parts (Gemini matches them by function name,
 * which a tool message lacks: it is looked up from the call it answers). Consecutive
 * messages of one role merge into one content.
 *
 * @see https://ai.google.dev/api/caching#Content
 * @see https://ai.google.dev/gemini-api/docs/function-calling
 */
import { badRequest } from '../../errors.js';
import type { ChatMessage, Content } from '../openai-format/chat-wire.js';
import { readDataUrl, readImageUrl } from '../openai-format/image-url.js';
import { contentText, unsupportedPart } from '../openai-format/message-text.js';
import { toolArguments, toolCallNames, toolNameFor } from '../openai-format/tool-calls.js';
import { thoughtSignatureOf } from './gemini-thought-signature.js';

type GeminiPart = Record<string, unknown>;

/** The converted conversation. */
export interface GeminiPrompt {
  systemInstruction?: { parts: Array<{ text: string }> };
  contents: Array<{ role: 'user' | 'model'; parts: GeminiPart[] }>;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif' };

/** An http image goes as `fileData`, whose media type Gemini wants; the extension tells it. */
function mediaTypeOf(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return (extension && IMAGE_TYPES[extension]) || 'image/jpeg';
}

function imagePart(url: string): GeminiPart {
  const image = readImageUrl(url);
  return image.kind === 'inline'
    ? { inlineData: { mimeType: image.mediaType, data: image.data } }
    : { fileData: { mimeType: mediaTypeOf(image.url), fileUri: image.url } };
}

/** A `file` part's inline data (a PDF, say), which Gemini reads as it reads images. */
function filePart(fileData: string, provider: string): GeminiPart {
  const file = readDataUrl(fileData);
  if (!file) throw badRequest(`Provider ${provider} takes files only inline, as base64 data URLs`, 'messages', 'unsupported_content');
  return { inlineData: { mimeType: file.mediaType, data: file.data } };
}

function contentParts(content: Content, provider: string): GeminiPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.flatMap((part) => {
    if (part.type === 'text') return part.text ? [{ text: part.text }] : [];
    if (part.type === 'image_url' && part.image_url) return [imagePart(part.image_url.url)];
    if (part.type === 'file' && part.file?.file_data) return [filePart(part.file.file_data, provider)];
    throw unsupportedPart(part.type, provider);
  });
}

function assistantParts(message: ChatMessage, provider: string): GeminiPart[] {
  const calls = (message.tool_calls ?? []).map((call) => {
    const signature = thoughtSignatureOf(call);
    return { functionCall: { name: call.function.name, args: toolArguments(call.function.arguments) }, ...(signature ? { thoughtSignature: signature } : {}) };
  });
  return [...contentParts(message.content, provider), ...calls];
}

/**
 * Converts the messages.
 * @throws GatewayError 400 for a role or part Gemini cannot take, or a tool message
 *   that answers no earlier tool call
 */
export function convertToGeminiContents(messages: readonly ChatMessage[], provider: string): GeminiPrompt {
  const names = toolCallNames(messages);
  const system: Array<{ text: string }> = [];
  const contents: GeminiPrompt['contents'] = [];
  const add = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content, message.role);
        if (text !== '') system.push({ text });
        break;
      }
      case 'user':
        add('user', contentParts(message.content, provider));
        break;
      case 'assistant':
        add('model', assistantParts(message, provider));
        break;
      case 'tool': {
        const name = toolNameFor(names, message.tool_call_id);
        add('user', [{ functionResponse: { name, response: { name, content: contentText(message.content, 'tool') } } }]);
        break;
      }
      default:
        throw badRequest(`Provider ${provider} cannot take messages of role "${message.role}"`, 'messages', 'unsupported_role');
    }
  }
  return { ...(system.length > 0 ? { systemInstruction: { parts: system } } : {}), contents };
}
