/**
 * A strict mock of OpenAI's chat completions endpoint: like the real API it refuses
 * unknown body fields, roles it does not know, a `tool` message that answers no earlier
 * tool call, malformed content parts, and a request without a Bearer key. Used where
 * the gateway writes the chat request itself (the `/v1/messages` translation).
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
import type { MockHandler, RecordedRequest } from '../mock-upstream.js';
import { sendJson } from '../mock-upstream.js';

type Json = Record<string, unknown>;

const FIELDS = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop', 'stream', 'stream_options', 'tools',
  'tool_choice', 'parallel_tool_calls', 'user', 'n', 'seed', 'presence_penalty', 'frequency_penalty', 'response_format', 'logprobs',
  'reasoning_effort',
]);
const EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function partProblem(part: unknown, at: string): string | undefined {
  if (!isObject(part)) return `${at}: expected an object`;
  if (part.type === 'text') return typeof part.text === 'string' ? undefined : `${at}.text: expected a string`;
  if (part.type === 'image_url') return isObject(part.image_url) && /^(https?:|data:image\/)/.test(String(part.image_url.url)) ? undefined : `${at}.image_url: invalid`;
  if (part.type === 'file') return isObject(part.file) && (typeof part.file.file_id === 'string' || /^data:[\w.+-]+\/[\w.+-]+;base64,/.test(String(part.file.file_data))) ? undefined : `${at}.file: file_data must be a base64 data URL`;
  return `${at}.type: invalid value '${String(part.type)}'`;
}

function messageProblem(message: unknown, at: string, called: Set<string>): string | undefined {
  if (!isObject(message)) return `${at}: expected an object`;
  if (!ROLES.has(String(message.role))) return `${at}.role: invalid value '${String(message.role)}'`;
  const { content } = message;
  if (Array.isArray(content)) {
    for (const [index, part] of content.entries()) {
      const problem = partProblem(part, `${at}.content.${index}`);
      if (problem) return problem;
    }
  } else if (typeof content !== 'string' && !(message.role === 'assistant' && content === null && Array.isArray(message.tool_calls))) {
    return `${at}.content: expected a string or an array of parts`;
  }
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObject(call) || typeof call.id !== 'string' || call.type !== 'function' || !isObject(call.function) || typeof call.function.arguments !== 'string') {
      return `${at}.tool_calls: invalid tool call`;
    }
    called.add(call.id);
  }
  if ((message.role === 'tool' || message.role === 'system') && Array.isArray(content) && content.some((part) => !isObject(part) || part.type !== 'text')) {
    return `${at}.content: ${String(message.role)} messages may only hold text parts`;
  }
  if (message.role === 'tool' && !called.has(String(message.tool_call_id))) {
    return `${at}: messages with role 'tool' must be a response to a preceding message with 'tool_calls'`;
  }
  return undefined;
}

/** The first thing OpenAI would refuse in `request`, or undefined. */
export function openAIProblem(request: RecordedRequest): string | undefined {
  if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return `Unknown request URL: ${request.method} ${request.url}`;
  if (!/^Bearer \S+/.test(String(request.headers.authorization))) return 'You didn’t provide an API key.';
  const body = request.json;
  if (!isObject(body)) return 'We could not parse the JSON body of your request.';
  const extra = Object.keys(body).find((key) => !FIELDS.has(key));
  if (extra) return `Unrecognized request argument supplied: ${extra}`;
  if (typeof body.model !== 'string') return 'you must provide a model parameter';
  if (body.reasoning_effort !== undefined && !EFFORTS.has(String(body.reasoning_effort))) return `Invalid value: '${String(body.reasoning_effort)}'. Supported values are: 'low', 'medium', and 'high'.`;
  if (body.user !== undefined && (typeof body.user !== 'string' || body.user.length > 64)) return "Invalid 'user': string too long.";
  if (body.stream_options !== undefined && body.stream !== true) return 'The stream_options parameter is only allowed when stream is enabled.';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "Invalid 'messages': empty array.";
  const called = new Set<string>();
  for (const [index, message] of body.messages.entries()) {
    const problem = messageProblem(message, `messages.${index}`, called);
    if (problem) return `Invalid '${problem}`;
  }
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function) || typeof tool.function.name !== 'string') return "Invalid 'tools': expected function tools";
  }
  return undefined;
}

/** Wraps `handler` so that invalid requests get OpenAI's 400 instead. */
export function validatingOpenAI(handler: MockHandler): MockHandler {
  return (request, res, raw) => {
    const problem = openAIProblem(request);
    if (problem) return sendJson(res, 400, { error: { message: problem, type: 'invalid_request_error', param: null, code: null } });
    return handler(request, res, raw);
  };
}
