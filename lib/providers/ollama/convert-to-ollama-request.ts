/**
 * An OpenAI chat completions request to an Ollama `/api/chat` body: messages with text
 * content and base64 `images`, assistant tool calls with object arguments, `tool`
 * results with their `tool_name`, sampling fields as `options` (`num_predict` from the
 * max tokens), `format` from `response_format`, and `stream` always set, since Ollama
 * streams unless told not to.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 * @see https://github.com/ollama/ollama/blob/main/docs/modelfile.md#valid-parameters-and-values
 */
import { badRequest } from '../../errors.js';
import type { ChatMessage, ChatRequest } from '../openai-format/chat-wire.js';
import { readImageUrl } from '../openai-format/image-url.js';
import { contentText, unsupportedPart } from '../openai-format/message-text.js';
import { toolArguments, toolCallNames, toolNameFor } from '../openai-format/tool-calls.js';
import { readChatRequest } from '../openai-format/read-chat-request.js';

type OllamaMessage = Record<string, unknown>;

/** The text parts joined, and the images as base64 (Ollama fetches no URLs). */
function userMessage(message: ChatMessage, provider: string): OllamaMessage {
  const { content } = message;
  if (typeof content === 'string' || content === null || content === undefined) return { role: 'user', content: content ?? '' };
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text ?? '');
    else if (part.type === 'image_url' && part.image_url) {
      const image = readImageUrl(part.image_url.url);
      if (image.kind === 'url') throw badRequest(`Provider ${provider} takes images only inline, as base64 data URLs`, 'messages', 'unsupported_content');
      images.push(image.data);
    } else throw unsupportedPart(part.type, provider);
  }
  return { role: 'user', content: texts.join('\n'), ...(images.length > 0 ? { images } : {}) };
}

function ollamaMessage(message: ChatMessage, names: ReadonlyMap<string, string>, provider: string): OllamaMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: contentText(message.content, message.role) };
    case 'user':
      return userMessage(message, provider);
    case 'assistant': {
      const calls = (message.tool_calls ?? []).map((call) => ({ function: { name: call.function.name, arguments: toolArguments(call.function.arguments) } }));
      const thinking = message.reasoning_content ? { thinking: message.reasoning_content } : {};
      return { role: 'assistant', content: contentText(message.content, 'assistant', ''), ...thinking, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
    }
    case 'tool':
      return { role: 'tool', content: contentText(message.content, 'tool'), tool_name: toolNameFor(names, message.tool_call_id) };
    default:
      throw badRequest(`Provider ${provider} cannot take messages of role "${message.role}"`, 'messages', 'unsupported_role');
  }
}

function options(request: ChatRequest): Record<string, unknown> {
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? undefined);
  const all: Record<string, unknown> = {
    temperature: request.temperature,
    top_p: request.top_p,
    num_predict: request.max_completion_tokens ?? request.max_tokens,
    stop: stop && stop.length > 0 ? stop : undefined,
    seed: request.seed,
    presence_penalty: request.presence_penalty,
    frequency_penalty: request.frequency_penalty,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined && value !== null));
}

/**
 * Ollama's `format` for `response_format`: the JSON schema itself, or `json` for JSON
 * without one.
 * @throws GatewayError 400 for a type Ollama cannot honour
 */
function ollamaFormat(format: ChatRequest['response_format'], provider: string): unknown {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_schema' && format.json_schema?.schema !== undefined) return format.json_schema.schema;
  if (format.type === 'json_object' || format.type === 'json_schema') return 'json';
  throw badRequest(`Provider ${provider} cannot honour response_format of type "${format.type}"`, 'response_format', 'unsupported_response_format');
}

/**
 * Converts the body.
 * @param model this attempt's model
 * @throws GatewayError 400 for a body that is not a chat request, `n` above 1, an
 *   image given by URL, or a tool message that answers no earlier tool call
 */
export function convertToOllamaRequest(body: Record<string, unknown> | undefined, model: string | undefined, stream: boolean, provider: string): Record<string, unknown> {
  const request = readChatRequest(body);
  if ((request.n ?? 1) > 1) throw badRequest(`Provider ${provider} answers one choice per request; n must be 1`, 'n', 'unsupported_parameter');
  const names = toolCallNames(request.messages);
  const converted: Record<string, unknown> = { model, messages: request.messages.map((message) => ollamaMessage(message, names, provider)), stream };
  const sampling = options(request);
  if (Object.keys(sampling).length > 0) converted.options = sampling;
  if (request.tools && request.tools.length > 0) converted.tools = request.tools;
  const format = ollamaFormat(request.response_format, provider);
  if (format !== undefined) converted.format = format;
  // `think` takes a boolean (and levels, for the models that have them); any effort but `none` turns it on.
  if (request.reasoning_effort) converted.think = request.reasoning_effort !== 'none';
  return converted;
}
