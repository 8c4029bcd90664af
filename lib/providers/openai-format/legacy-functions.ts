/**
 * OpenAI's legacy functions API in today's tools terms, for the dialects that translate
 * chat requests: `functions` as function `tools`, `function_call` as `tool_choice`, an
 * assistant's `function_call` as one tool call, and a `{"role":"function","name":…}`
 * message as the `tool` message that answers it. Legacy calls carry no ids, so each gets
 * one made from its position, and a function message answers the latest call of its name.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-functions
 */
import type { ChatMessage, ChatRequest, ToolChoice } from './chat-wire.js';

const hasLegacy = (request: ChatRequest) =>
  request.functions != null || request.function_call != null || request.messages.some((message) => message.role === 'function' || message.function_call != null);

function legacyMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  const lastCall = new Map<string, string>();
  return messages.map((message, index) => {
    if (message.role === 'assistant' && message.function_call) {
      const { function_call: call, ...rest } = message;
      const id = `call_legacy_${index}`;
      lastCall.set(call.name, id);
      const toolCall = { id, type: 'function', function: { name: call.name, arguments: call.arguments ?? '{}' } };
      return { ...rest, tool_calls: [...(message.tool_calls ?? []), toolCall] };
    }
    if (message.role === 'function') {
      const name = message.name ?? '';
      return { role: 'tool', content: message.content, tool_call_id: lastCall.get(name) ?? `call_legacy_${name}` };
    }
    return message;
  });
}

function legacyChoice(choice: ChatRequest['function_call']): ToolChoice | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return choice === 'auto' || choice === 'none' ? choice : undefined;
  return { type: 'function', function: { name: choice.name } };
}

/** The request in tools terms; the same object when it uses nothing of the legacy API. */
export function withToolsForFunctions(request: ChatRequest): ChatRequest {
  if (!hasLegacy(request)) return request;
  const tools = request.tools ?? request.functions?.map((fn) => ({ type: 'function', function: fn }));
  return { ...request, messages: legacyMessages(request.messages), tools, tool_choice: request.tool_choice ?? legacyChoice(request.function_call) };
}
