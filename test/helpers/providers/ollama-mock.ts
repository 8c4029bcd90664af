/**
 * A mock of Ollama's native API that checks each request the way Ollama would read it
 * and answers 400 `{"error":…}` otherwise: unknown fields or options, roles it does
 * not know, images that are not bare base64, tool call arguments that are not objects.
 * Like Ollama, it streams NDJSON unless the body says `"stream": false`.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md
 */
import type { ServerResponse } from 'node:http';
import type { MockHandler, RecordedRequest } from '../mock-upstream.js';
import { sendJson } from '../mock-upstream.js';

type Json = Record<string, unknown>;

const FIELDS = new Set(['model', 'messages', 'stream', 'options', 'tools', 'format', 'keep_alive', 'think', 'input', 'dimensions', 'truncate']);
const OPTIONS = new Set(['temperature', 'top_p', 'top_k', 'num_predict', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'num_ctx', 'repeat_penalty']);
const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function messageProblem(message: unknown, at: string): string | undefined {
  if (!isObject(message) || !ROLES.has(String(message.role))) return `${at}: invalid role`;
  if (typeof message.content !== 'string') return `json: cannot unmarshal ${typeof message.content} into Go struct field Message.messages.content of type string`;
  if (message.images !== undefined && !(Array.isArray(message.images) && message.images.every((image) => typeof image === 'string' && /^[A-Za-z0-9+/]+=*$/.test(image)))) {
    return 'illegal base64 data in images';
  }
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObject(call) || !isObject(call.function) || typeof call.function.name !== 'string' || !isObject(call.function.arguments)) {
      return 'json: cannot unmarshal string into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments';
    }
  }
  return undefined;
}

/** The first thing Ollama would refuse in `request`, or undefined. */
export function ollamaProblem(request: RecordedRequest): string | undefined {
  if (request.method !== 'POST' || (request.url !== '/api/chat' && request.url !== '/api/embed')) return `404 page not found: ${request.url}`;
  if (request.headers.authorization !== undefined && !/^Bearer \S+$/.test(request.headers.authorization)) return 'unauthorized';
  const body = request.json;
  if (!isObject(body) || typeof body.model !== 'string') return 'model is required';
  const extra = Object.keys(body).find((key) => !FIELDS.has(key));
  if (extra) return `json: unknown field "${extra}"`;
  if (request.url === '/api/embed') return Array.isArray(body.input) || typeof body.input === 'string' ? undefined : 'input is required';
  if (!Array.isArray(body.messages)) return 'messages is required';
  for (const [index, message] of body.messages.entries()) {
    const problem = messageProblem(message, `messages[${index}]`);
    if (problem) return problem;
  }
  const unknown = isObject(body.options) ? Object.keys(body.options).find((key) => !OPTIONS.has(key)) : undefined;
  return unknown ? `invalid option provided: ${unknown}` : undefined;
}

/** One NDJSON line of a chat answer. */
export function ollamaLine(content: string, done = false, extra: Json = {}): Json {
  return {
    model: 'llama3.2',
    created_at: '2024-12-10T17:00:00Z',
    message: { role: 'assistant', content },
    done,
    ...(done ? { done_reason: 'stop', prompt_eval_count: 11, eval_count: 4 } : {}),
    ...extra,
  };
}

/** Starts an NDJSON answer, as Ollama does for streams. */
export function startNdjson(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.flushHeaders();
}

export const writeLine = (res: ServerResponse, line: Json): boolean => res.write(`${JSON.stringify(line)}\n`);

/**
 * Wraps `handler` so that invalid requests get Ollama's 400, and a chat request that
 * did not say `"stream": false` gets a stream, as from the real server.
 */
export function validatingOllama(handler: MockHandler): MockHandler {
  return (request, res, raw) => {
    const problem = ollamaProblem(request);
    if (problem) return sendJson(res, 400, { error: problem });
    if (request.url === '/api/chat' && request.json?.stream !== false && request.json?.stream !== true) {
      startNdjson(res);
      writeLine(res, ollamaLine('streamed, since the request did not say stream: false'));
      return void res.end(`${JSON.stringify(ollamaLine('', true))}\n`);
    }
    return handler(request, res, raw);
  };
}
