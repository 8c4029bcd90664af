/**
 * A mock of Anthropic's Messages API that checks each request the way the real one
 * does (as far as the gateway's translation could get it wrong) and answers 400 in
 * Anthropic's error shape otherwise: a missing `max_tokens`, a role other than user or
 * assistant, a system message in `messages`, an unknown top-level field, a malformed
 * block, a `tool_use` without its `tool_result` in the next turn, no `x-api-key` or
 * `anthropic-version`.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
import type { ServerResponse } from 'node:http';
import type { MockHandler, RecordedRequest } from '../mock-upstream.js';
import { sendJson, startSse } from '../mock-upstream.js';

type Json = Record<string, unknown>;

const FIELDS = new Set(['model', 'messages', 'system', 'max_tokens', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'stream', 'tools', 'tool_choice', 'metadata', 'thinking', 'service_tier', 'output_config']);
const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const DOCUMENT_SOURCES = new Set(['base64', 'text', 'url', 'content']);
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

function blockProblem(block: unknown, role: string, at: string, pendingToolUses: Set<string>): string | undefined {
  if (!isObject(block)) return `${at}: Input should be an object`;
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' && block.text !== '' ? undefined : `${at}: text content blocks must be non-empty`;
    case 'image': {
      const source = block.source;
      if (isObject(source) && source.type === 'base64' && MEDIA_TYPES.has(String(source.media_type)) && typeof source.data === 'string') return undefined;
      if (isObject(source) && source.type === 'url' && /^https?:\/\//.test(String(source.url))) return undefined;
      return `${at}.source: invalid image source`;
    }
    case 'document':
      return isObject(block.source) && DOCUMENT_SOURCES.has(String(block.source.type)) ? undefined : `${at}.source: invalid document source`;
    case 'thinking':
      if (role !== 'assistant') return `${at}: thinking blocks are only allowed in assistant messages`;
      return typeof block.thinking === 'string' && typeof block.signature === 'string' ? undefined : `${at}: thinking needs thinking and signature`;
    case 'tool_use':
      if (role !== 'assistant') return `${at}: tool_use blocks are only allowed in assistant messages`;
      if (typeof block.id !== 'string' || typeof block.name !== 'string' || !isObject(block.input)) return `${at}: tool_use needs id, name and an input object`;
      return undefined;
    case 'tool_result':
      if (role !== 'user') return `${at}: tool_result blocks are only allowed in user messages`;
      if (!pendingToolUses.delete(String(block.tool_use_id))) return `${at}: unexpected tool_use_id found in tool_result blocks: ${block.tool_use_id}`;
      return typeof block.content === 'string' || Array.isArray(block.content) || block.content === undefined ? undefined : `${at}.content: invalid`;
    default:
      return `${at}.type: Input tag '${String(block.type)}' does not match any of the expected tags`;
  }
}

/** What Anthropic's structured output refuses in a schema: an object not closed, a constraint it does not support. */
function schemaProblem(schema: unknown, at: string): string | undefined {
  if (!isObject(schema)) return undefined;
  const unsupported = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'maxItems'].find((key) => key in schema);
  if (unsupported) return `${at}: '${unsupported}' is not supported`;
  if ((schema.type === 'object' || isObject(schema.properties)) && schema.additionalProperties !== false) return `${at}: For 'object' type, 'additionalProperties' must be explicitly set to false`;
  for (const value of Object.values(isObject(schema.properties) ? schema.properties : {})) {
    const problem = schemaProblem(value, `${at}.properties`);
    if (problem) return problem;
  }
  for (const key of ['items', 'anyOf', 'allOf']) {
    for (const value of ([] as unknown[]).concat(schema[key] ?? [])) {
      const problem = schemaProblem(value, `${at}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function messagesProblem(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
  let pending = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const at = `messages.${index}`;
    if (!isObject(message)) return `${at}: Input should be an object`;
    if (message.role === 'system') return `${at}.role: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`;
    if (message.role !== 'user' && message.role !== 'assistant') return `${at}.role: Input should be 'user' or 'assistant'`;
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (!Array.isArray(blocks) || blocks.length === 0) return `${at}: all messages must have non-empty content`;
    const isResult = (block: unknown) => isObject(block) && block.type === 'tool_result';
    const firstOther = blocks.findIndex((block) => !isResult(block));
    if (firstOther !== -1 && blocks.findLastIndex(isResult) > firstOther) return `${at}: tool_result blocks must come first in the user message`;
    for (const [blockIndex, block] of blocks.entries()) {
      const problem = blockProblem(block, message.role, `${at}.content.${blockIndex}`, pending);
      if (problem) return problem;
    }
    if (pending.size > 0) return `${at}: tool_use ids were found without tool_result blocks immediately after: ${[...pending].join(', ')}`;
    pending = new Set(message.role === 'assistant' ? blocks.filter((block) => isObject(block) && block.type === 'tool_use').map((block) => String((block as Json).id)) : []);
  }
  return undefined;
}

function toolsProblem(body: Json): string | undefined {
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return 'tools: Input should be a valid list';
    for (const [index, tool] of body.tools.entries()) {
      if (!isObject(tool) || typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) return `tools.${index}.name: invalid`;
      if (!isObject(tool.input_schema) || tool.input_schema.type !== 'object') return `tools.${index}.input_schema: Input should be an object schema`;
      const extra = Object.keys(tool).find((key) => !['name', 'description', 'input_schema', 'type', 'cache_control'].includes(key));
      if (extra) return `tools.${index}.${extra}: Extra inputs are not permitted`;
    }
  }
  if (body.tool_choice !== undefined) {
    const choice = body.tool_choice;
    if (!isObject(choice) || !['auto', 'any', 'tool', 'none'].includes(String(choice.type))) return 'tool_choice.type: invalid';
    if (choice.type === 'tool' && typeof choice.name !== 'string') return 'tool_choice.name: Field required';
  }
  return undefined;
}

/** The first thing real Anthropic would refuse in `request`, or undefined. */
export function anthropicProblem(request: RecordedRequest): string | undefined {
  if (request.method !== 'POST' || request.url.split('?')[0] !== '/v1/messages') return `Not found: ${request.method} ${request.url}`;
  if (!request.headers['x-api-key']) return 'x-api-key header is required';
  if (!request.headers['anthropic-version']) return 'anthropic-version: header is required';
  const body = request.json;
  if (!isObject(body)) return 'Request body must be a JSON object';
  const extra = Object.keys(body).find((key) => !FIELDS.has(key));
  if (extra) return `${extra}: Extra inputs are not permitted`;
  if (typeof body.model !== 'string') return 'model: Field required';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) return 'max_tokens: Input should be a positive integer';
  if (body.system !== undefined && typeof body.system !== 'string' && !(Array.isArray(body.system) && body.system.every((block) => isObject(block) && block.type === 'text' && typeof block.text === 'string'))) {
    return 'system: Input should be a string or a list of text blocks';
  }
  for (const field of ['temperature', 'top_p']) {
    const value = body[field];
    if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 1)) return `${field}: Input should be between 0 and 1`;
  }
  if (body.stop_sequences !== undefined && !(Array.isArray(body.stop_sequences) && body.stop_sequences.every((s) => typeof s === 'string'))) {
    return 'stop_sequences: Input should be a list of strings';
  }
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.some((s) => String(s).trim() === '')) return 'stop_sequences: each stop sequence must contain non-whitespace';
  const thinking = body.thinking;
  if (isObject(thinking) && thinking.type === 'enabled') {
    if (typeof thinking.budget_tokens !== 'number' || thinking.budget_tokens < 1024) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
    if (thinking.budget_tokens >= Number(body.max_tokens)) return '`max_tokens` must be greater than `thinking.budget_tokens`';
    if (body.temperature !== undefined && body.temperature !== 1) return '`temperature` may only be set to 1 when thinking is enabled';
    if (isObject(body.tool_choice) && (body.tool_choice.type === 'tool' || body.tool_choice.type === 'any')) return 'Thinking may not be enabled when tool_choice forces tool use.';
    const lastAssistant = Array.isArray(body.messages) ? [...body.messages].reverse().find((message) => isObject(message) && message.role === 'assistant') : undefined;
    const blocks = isObject(lastAssistant) && Array.isArray(lastAssistant.content) ? lastAssistant.content : [];
    if (blocks.some((block) => isObject(block) && block.type === 'tool_use') && !(isObject(blocks[0]) && (blocks[0].type === 'thinking' || blocks[0].type === 'redacted_thinking'))) {
      return 'messages: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.';
    }
  }
  const output = body.output_config;
  if (output !== undefined && !(isObject(output) && Object.keys(output).every((key) => key === 'format' || key === 'effort') && (output.format === undefined || (isObject(output.format) && output.format.type === 'json_schema' && isObject(output.format.schema))))) {
    return 'output_config: invalid';
  }
  if (isObject(output) && isObject(output.format)) {
    const problem = schemaProblem(output.format.schema, 'output_config.format.schema');
    if (problem) return problem;
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return 'stream: Input should be a valid boolean';
  return messagesProblem(body.messages) ?? toolsProblem(body);
}

/** Wraps `handler` so that invalid requests get Anthropic's 400 instead. */
export function validatingAnthropic(handler: MockHandler): MockHandler {
  return (request, res, raw) => {
    const problem = anthropicProblem(request);
    if (problem) return sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: problem } });
    return handler(request, res, raw);
  };
}

/** A non-stream Messages answer. */
export function anthropicMessage(content: Json[], stopReason = 'end_turn', usage = { input_tokens: 12, output_tokens: 6 }): Json {
  return { id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF', type: 'message', role: 'assistant', model: 'claude-3-5-haiku-20241022', content, stop_reason: stopReason, stop_sequence: null, usage };
}

/** One named Messages stream event, as Anthropic writes it. */
export const anthropicEvent = (data: Json): string => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

/** The events of a streamed text answer, split into `parts`. */
export function anthropicTextEvents(parts: string[], stopReason = 'end_turn'): string[] {
  return [
    anthropicEvent({ type: 'message_start', message: { ...anthropicMessage([], stopReason), content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
    anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    anthropicEvent({ type: 'ping' }),
    ...parts.map((text) => anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    anthropicEvent({ type: 'content_block_stop', index: 0 }),
    anthropicEvent({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 6 } }),
    anthropicEvent({ type: 'message_stop' }),
  ];
}

/**
 * A stream that sends the text `partial`, waits for `held`, then ends with Anthropic's
 * `overloaded_error` event, so that the error comes after the client got a first part.
 */
export function overloadedAfter(held: Promise<void>): MockHandler {
  return async (request, res) => {
    startSse(res);
    for (const event of anthropicTextEvents(['partial']).slice(0, 4)) res.write(event);
    await held;
    res.end(anthropicEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
  };
}

/** Streams `events` as an SSE answer. */
export function streamEvents(res: ServerResponse, events: string[]): void {
  startSse(res);
  for (const event of events) res.write(event);
  res.end();
}
