/**
 * A Responses API request to an OpenAI chat completions request, for providers that speak
 * chat but not Responses: `instructions` and the conversation so far (rebuilt from stored
 * responses for `previous_response_id`) and `input` become messages, function tools and
 * `tool_choice` carry over, `text.format` becomes `response_format`, `reasoning.effort`
 * `reasoning_effort`, `max_output_tokens` the provider's output token limit. The chat request
 * then goes through the provider's own adapter (unchanged for OpenAI-compatible providers,
 * translated again for Anthropic, Gemini or Ollama).
 *
 * Built-in tools run by OpenAI itself (web search, file search, code interpreter, computer
 * use…) cannot run elsewhere: they are a 400 naming the tool, never dropped.
 *
 * @see https://platform.openai.com/docs/api-reference/responses/create
 * @see https://platform.openai.com/docs/guides/migrate-to-responses
 */
import { badRequest } from '../../errors.js';
import { parseClientBody } from '../../providers/parse-wire.js';
import {
  ResponsesRequestSchema,
  type ResponsesContentPart,
  type ResponsesItem,
  type ResponsesRequest,
  type ResponsesTool,
} from './responses-wire.js';
import { chatToolName } from './tool-names.js';

type ChatMessage = Record<string, unknown> & { role: string };

/** What the translation needs besides the request. */
export interface ResponsesToChatOptions {
  /** This attempt's model. */
  model: string | undefined;
  /** Whether to ask for a stream (with its usage chunk). */
  stream: boolean;
  /** The chat field the provider takes the output token limit in. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** The items of the conversation before this request (stored input and output items), oldest first. */
  history?: readonly ResponsesItem[];
}

const unsupportedTool = (type: string, where = 'tools') =>
  badRequest(
    `The built-in tool "${type}" runs only on OpenAI; this provider cannot run it. Use function tools instead ` +
      '(Codex: set web_search = "disabled" in config.toml for a provider other than OpenAI).',
    where,
    'unsupported_tool',
  );

/** One input content part as a chat content part. */
function chatPart(part: ResponsesContentPart): Record<string, unknown> {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return { type: 'text', text: part.text ?? '' };
    case 'refusal':
      return { type: 'text', text: part.refusal ?? '' };
    case 'input_image':
      if (!part.image_url) throw badRequest('An input_image needs an image_url (a data: or https: URL); file ids cannot be translated', 'input', 'unsupported_content');
      return { type: 'image_url', image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } };
    case 'input_file':
      if (!part.file_data) throw badRequest('An input_file needs file_data (base64); file ids and file URLs cannot be translated', 'input', 'unsupported_content');
      return { type: 'file', file: { file_data: part.file_data, ...(part.filename ? { filename: part.filename } : {}) } };
    default:
      throw badRequest(`Content parts of type "${part.type}" cannot be translated for this provider`, 'input', 'unsupported_content');
  }
}

/** A message's content: a string stays one; parts become chat parts (one text part as a string). */
function chatContent(content: ResponsesItem['content']): string | Record<string, unknown>[] {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  const parts = content.map(chatPart);
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => part.text as string).join('');
  return parts;
}

/** The text of a function call's output (a string, or parts of which only text can go to a `tool` message). */
function outputText(output: ResponsesItem['output']): string {
  if (output === undefined) return '';
  if (typeof output === 'string') return output;
  return output.map((part) => {
    if (part.type !== 'input_text' && part.type !== 'output_text') {
      throw badRequest(`A function_call_output part of type "${part.type}" cannot be translated for this provider`, 'input', 'unsupported_content');
    }
    return part.text ?? '';
  }).join('');
}

/** The last message, when it is the assistant's and may take more tool calls. */
function openAssistant(messages: ChatMessage[]): ChatMessage {
  const last = messages.at(-1);
  if (last?.role === 'assistant') return last;
  const message: ChatMessage = { role: 'assistant', content: null };
  messages.push(message);
  return message;
}

/** Adds one item to the chat messages; a turn's message and function calls become one assistant message. */
function addItem(messages: ChatMessage[], item: ResponsesItem): void {
  const type = item.type ?? 'message';
  switch (type) {
    case 'message': {
      const role = item.role ?? 'user';
      if (role === 'assistant') {
        const text = chatContent(item.content);
        messages.push({ role: 'assistant', content: typeof text === 'string' ? text : text.map((part) => part.text ?? '').join('') });
      } else if (role === 'user' || role === 'system' || role === 'developer') {
        // `developer` is OpenAI's newer name for `system`, which every dialect knows.
        messages.push({ role: role === 'developer' ? 'system' : role, content: chatContent(item.content) });
      } else throw badRequest(`Input messages' roles are user, assistant, system or developer, not "${role}"`, 'input', 'invalid_role');
      return;
    }
    case 'function_call': {
      const assistant = openAssistant(messages);
      const calls = (assistant.tool_calls as unknown[] | undefined) ?? [];
      calls.push({ id: item.call_id, type: 'function', function: { name: chatToolName(item.name ?? '', item.namespace), arguments: item.arguments ?? '{}' } });
      assistant.tool_calls = calls;
      if (assistant.content === '') assistant.content = null;
      return;
    }
    case 'function_call_output':
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: outputText(item.output) });
      return;
    case 'reasoning':
      // Reasoning only means something to the model that wrote it; chat has no place for it.
      return;
    default:
      if (type.endsWith('_call') || type.endsWith('_call_output')) throw unsupportedTool(type.replace(/_call(_output)?$/, ''), 'input');
      throw badRequest(`Input items of type "${type}" cannot be translated for this provider`, 'input', 'unsupported_content');
  }
}

/** `item_reference`s resolved against the conversation so far. */
function resolveReferences(items: readonly ResponsesItem[], history: readonly ResponsesItem[]): ResponsesItem[] {
  return items.map((item) => {
    if (item.type !== 'item_reference') return item;
    const found = history.find((candidate) => candidate.id === item.id);
    if (!found) throw badRequest(`No item with id "${item.id}" in this conversation`, 'input', 'item_not_found');
    return found;
  });
}

function chatFunction(tool: ResponsesTool, namespace?: string): Record<string, unknown> {
  if (tool.type !== 'function') throw unsupportedTool(tool.type);
  if (!tool.name) throw badRequest('A function tool needs a name', 'tools', 'invalid_request');
  const fn: Record<string, unknown> = { name: chatToolName(tool.name, namespace) };
  if (tool.description) fn.description = tool.description;
  fn.parameters = tool.parameters ?? { type: 'object', properties: {} };
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

/** Function tools as they are; a namespace's functions flattened, each named `<namespace>__<name>`. */
function chatTools(tools: readonly ResponsesTool[]): Record<string, unknown>[] {
  return tools.flatMap((tool) => {
    if (tool.type !== 'namespace') return [chatFunction(tool)];
    if (!tool.name) throw badRequest('A namespace tool needs a name', 'tools', 'invalid_request');
    return (tool.tools ?? []).map((inner) => chatFunction(inner, tool.name));
  });
}

function chatToolChoice(choice: NonNullable<ResponsesRequest['tool_choice']>): unknown {
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && choice.name) return { type: 'function', function: { name: chatToolName(choice.name, choice.namespace) } };
  if (choice.type === 'allowed_tools') {
    const mode = (choice as { mode?: unknown }).mode;
    return mode === 'required' ? 'required' : 'auto';
  }
  throw unsupportedTool(choice.type, 'tool_choice');
}

function responseFormat(format: NonNullable<NonNullable<ResponsesRequest['text']>['format']>): unknown {
  if (format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    const jsonSchema: Record<string, unknown> = { name: format.name ?? 'response', schema: format.schema ?? {} };
    if (typeof format.strict === 'boolean') jsonSchema.strict = format.strict;
    if (format.description) jsonSchema.description = format.description;
    return { type: 'json_schema', json_schema: jsonSchema };
  }
  throw badRequest(`text.format of type "${format.type}" cannot be translated for this provider`, 'text', 'unsupported_parameter');
}

/**
 * Converts the body.
 * @throws GatewayError 400 for a body that is not a Responses request, built-in tools, and
 *   content with no chat counterpart (file ids, unknown item types)
 */
export function convertResponsesRequestToChat(body: Record<string, unknown> | undefined, options: ResponsesToChatOptions): Record<string, unknown> {
  const request = parseClientBody(ResponsesRequestSchema, body ?? {}, 'responses');
  if (body?.conversation !== undefined && body.conversation !== null) {
    throw badRequest('`conversation` (OpenAI\'s Conversations API) cannot be translated for this provider: continue with previous_response_id', 'conversation', 'unsupported_parameter');
  }
  const history = options.history ?? [];
  const messages: ChatMessage[] = [];
  // Instructions are this request's own: those of a previous response are not carried over.
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  const input = typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: request.input }] : (request.input ?? []);
  for (const item of [...history, ...resolveReferences(input, history)]) addItem(messages, item);
  if (!messages.some((message) => message.role !== 'system')) throw badRequest('input holds no message to answer', 'input', 'invalid_request');

  const chat: Record<string, unknown> = { model: options.model, messages };
  if (request.max_output_tokens != null) chat[options.maxTokensField] = request.max_output_tokens;
  if (request.temperature != null) chat.temperature = request.temperature;
  if (request.top_p != null) chat.top_p = request.top_p;
  if (request.tools && request.tools.length > 0) {
    chat.tools = chatTools(request.tools);
    if (request.tool_choice != null) chat.tool_choice = chatToolChoice(request.tool_choice);
    if (request.parallel_tool_calls != null) chat.parallel_tool_calls = request.parallel_tool_calls;
  } else if (request.tool_choice != null && typeof request.tool_choice !== 'string') chatToolChoice(request.tool_choice);
  const format = request.text?.format ? responseFormat(request.text.format) : undefined;
  if (format !== undefined) chat.response_format = format;
  if (request.reasoning?.effort) chat.reasoning_effort = request.reasoning.effort;
  const user = request.safety_identifier ?? request.user;
  if (user) chat.user = user;
  if (options.stream) Object.assign(chat, { stream: true, stream_options: { include_usage: true } });
  return chat;
}
