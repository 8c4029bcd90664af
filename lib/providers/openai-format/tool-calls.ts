/**
 * Tool-call bookkeeping shared by the dialects whose function results are matched by
 * name rather than by id (Gemini, Ollama), and ids for dialects that give none.
 */
import { randomBytes } from 'node:crypto';
import { badRequest } from '../../errors.js';
import type { ChatMessage } from './chat-wire.js';

/**
 * Maps each `tool` message's `tool_call_id` to the function name of the assistant tool
 * call it answers; a later call with the same id wins, as the conversation is read in order.
 */
export function toolCallNames(messages: readonly ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  return names;
}

/**
 * The function name a `tool` message answers.
 * @throws GatewayError 400 when no earlier assistant message made that call
 */
export function toolNameFor(names: ReadonlyMap<string, string>, toolCallId: string | undefined): string {
  const name = toolCallId === undefined ? undefined : names.get(toolCallId);
  if (name === undefined) {
    throw badRequest(`A tool message answers tool_call_id "${toolCallId}", which no assistant message called`, 'messages', 'invalid_tool_call_id');
  }
  return name;
}

/**
 * Parses a tool call's `arguments` (a JSON text) into the object dialects want.
 * @throws GatewayError 400 when it is not a JSON object
 */
export function toolArguments(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw badRequest(`Tool call arguments must be a JSON object, got: ${text.slice(0, 200)}`, 'messages', 'invalid_tool_arguments');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('Tool call arguments must be a JSON object', 'messages', 'invalid_tool_arguments');
  }
  return value as Record<string, unknown>;
}

/** A fresh tool call id, `call_` and 24 base62-ish characters, for providers that send none. */
export function newToolCallId(): string {
  return `call_${randomBytes(18).toString('base64url').slice(0, 24)}`;
}
