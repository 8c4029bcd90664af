/**
 * An OpenAI chat completion to an Anthropic message: reasoning text
 * (`reasoning_content`, or OpenRouter's `reasoning`) as a thinking block, content as a
 * text block, tool calls as `tool_use` blocks, the finish reason as `stop_reason`, and `usage`. The
 * reverse of the anthropic provider's response conversion, on the same mappings.
 *
 * @see https://docs.anthropic.com/en/api/messages#response-content
 */
import { GatewayError } from '../errors.js';
import type { Block } from '../providers/anthropic/anthropic-wire.js';
import { toolUseFromToolCall } from '../providers/anthropic/convert-anthropic-tools.js';
import { usageToAnthropic } from '../providers/anthropic/convert-anthropic-usage.js';
import { stopReasonFromOpenAI } from '../providers/anthropic/map-anthropic-stop-reason.js';
import { ChatCompletionSchema, type ToolCall } from '../providers/openai-format/chat-wire.js';
import { parseUpstreamJson } from '../providers/parse-wire.js';
import { extrasSignature } from './tool-call-extras.js';

const encoder = new TextEncoder();

function toolUse(call: ToolCall, provider: string): Block {
  try {
    return toolUseFromToolCall(call);
  } catch (error) {
    // The client did nothing wrong: the model wrote arguments Messages cannot carry.
    throw new GatewayError({ status: 502, message: `Provider ${provider} answered a tool call whose arguments are not a JSON object`, code: 'invalid_upstream_response', provider, cause: error });
  }
}

/**
 * Converts one answer.
 * @param model the attempt's model, when the answer names none
 * @throws GatewayError 502 when the body is not a chat completion or a tool call's
 *   arguments are not a JSON object
 */
export function convertChatResponseToMessages(raw: Uint8Array, provider: string, model: string | undefined): Uint8Array {
  const completion = parseUpstreamJson(ChatCompletionSchema, raw, provider);
  const choice = completion.choices[0];
  const content: Block[] = [];
  // A thinking block that did not come from Claude has no signature of its own; it may
  // carry the tool calls' extras (see tool-call-extras.ts).
  const reasoning = choice?.message.reasoning_content || choice?.message.reasoning;
  const signature = extrasSignature(choice?.message.tool_calls ?? []);
  if (reasoning || signature) content.push({ type: 'thinking', thinking: reasoning ?? '', signature: signature ?? '' });
  const text = choice?.message.content || choice?.message.refusal;
  if (text) content.push({ type: 'text', text });
  for (const call of choice?.message.tool_calls ?? []) content.push(toolUse(call, provider));
  const message = {
    id: completion.id ?? 'msg_gateway',
    type: 'message',
    role: 'assistant',
    model: completion.model ?? model ?? '',
    content,
    stop_reason: stopReasonFromOpenAI(choice?.finish_reason),
    stop_sequence: null,
    usage: usageToAnthropic(completion.usage),
  };
  return encoder.encode(JSON.stringify(message));
}
