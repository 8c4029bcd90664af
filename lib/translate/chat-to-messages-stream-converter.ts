/**
 * OpenAI chat stream chunks to Anthropic's Messages stream, chunk by chunk: the first
 * chunk opens the message (`message_start`), reasoning (`reasoning_content`), content
 * and tool-call deltas open, fill and close thinking, text and tool-use blocks, and `[DONE]` (or the end of a stream whose finish reason
 * came) becomes `message_delta` with the stop reason and usage, then `message_stop`.
 * OpenAI's in-stream error becomes Anthropic's `error` event.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
import { anthropicError, anthropicErrorType } from '../providers/anthropic/anthropic-error.js';
import { usageToAnthropic } from '../providers/anthropic/convert-anthropic-usage.js';
import { stopReasonFromOpenAI } from '../providers/anthropic/map-anthropic-stop-reason.js';
import { ChatChunkSchema, type ChatChunk, type ChatUsage, type ToolCallDelta } from '../providers/openai-format/chat-wire.js';
import { newToolCallId } from '../providers/openai-format/tool-calls.js';
import { parseUpstreamJson } from '../providers/parse-wire.js';
import { extrasSignature } from './tool-call-extras.js';
import type { SseEvent, StreamConverter } from '../providers/types.js';

const event = (data: Record<string, unknown> & { type: string }): SseEvent => ({ event: data.type, data: JSON.stringify(data) });

/** Creates the converter for one stream. */
export function createChatToMessagesStreamConverter(provider: string, model: string | undefined): StreamConverter {
  let started = false;
  let stopped = false;
  /** The index of the open content block and its kind, if one is open. */
  let open: { index: number; kind: 'text' | 'tool' | 'thinking' } | undefined;
  let nextIndex = 0;
  /** OpenAI tool call index → content block index. */
  const toolBlocks = new Map<number, number>();
  let finishReason: string | undefined;
  let usage: ChatUsage | undefined;

  const start = (chunk: ChatChunk | undefined): SseEvent[] => {
    if (started) return [];
    started = true;
    const message = { id: chunk?.id || 'msg_gateway', type: 'message', role: 'assistant', model: chunk?.model || model || '', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } };
    return [event({ type: 'message_start', message })];
  };
  const close = (): SseEvent[] => {
    if (open === undefined) return [];
    const stop = event({ type: 'content_block_stop', index: open.index });
    open = undefined;
    return [stop];
  };
  const openBlock = (kind: 'text' | 'tool' | 'thinking', contentBlock: Record<string, unknown>): SseEvent[] => {
    const out = close();
    open = { index: nextIndex++, kind };
    out.push(event({ type: 'content_block_start', index: open.index, content_block: contentBlock }));
    return out;
  };
  const text = (value: string): SseEvent[] => {
    const out = open?.kind === 'text' ? [] : openBlock('text', { type: 'text', text: '' });
    out.push(event({ type: 'content_block_delta', index: (open as { index: number }).index, delta: { type: 'text_delta', text: value } }));
    return out;
  };
  const thinking = (value: string): SseEvent[] => {
    const out = open?.kind === 'thinking' ? [] : openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
    out.push(event({ type: 'content_block_delta', index: (open as { index: number }).index, delta: { type: 'thinking_delta', thinking: value } }));
    return out;
  };
  /** A thinking block that only carries a signature (a tool call's extras). */
  const signatureBlock = (signature: string): SseEvent[] => {
    const out = openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
    out.push(event({ type: 'content_block_delta', index: (open as { index: number }).index, delta: { type: 'signature_delta', signature } }));
    return out;
  };
  const toolCall = (delta: ToolCallDelta & { extra_content?: unknown }): SseEvent[] => {
    const out: SseEvent[] = [];
    if (!toolBlocks.has(delta.index)) {
      const signature = extrasSignature([delta]);
      if (signature) out.push(...signatureBlock(signature));
      out.push(...openBlock('tool', { type: 'tool_use', id: delta.id || newToolCallId(), name: delta.function?.name ?? '', input: {} }));
      toolBlocks.set(delta.index, (open as { index: number }).index);
    }
    const partial = delta.function?.arguments;
    if (partial) out.push(event({ type: 'content_block_delta', index: toolBlocks.get(delta.index), delta: { type: 'input_json_delta', partial_json: partial } }));
    return out;
  };
  const stop = (): SseEvent[] => {
    stopped = true;
    const out = [...start(undefined), ...close()];
    const counts = usageToAnthropic(usage);
    out.push(event({ type: 'message_delta', delta: { stop_reason: stopReasonFromOpenAI(finishReason), stop_sequence: null }, usage: counts }));
    out.push(event({ type: 'message_stop' }));
    return out;
  };

  return {
    push({ data }) {
      if (stopped) return [];
      if (data === '[DONE]') return stop();
      const chunk = parseUpstreamJson(ChatChunkSchema, data, provider);
      if (chunk.error) {
        const message = chunk.error.message ?? `Provider ${provider} reported an error in the stream`;
        return [event({ ...anthropicError(anthropicErrorType(500), message) })];
      }
      const out = start(chunk);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.find((item) => (item.index ?? 0) === 0);
      const delta = choice?.delta;
      const reasoning = delta?.reasoning_content || delta?.reasoning;
      if (reasoning) out.push(...thinking(reasoning));
      const content = delta?.content || delta?.refusal;
      if (content) out.push(...text(content));
      for (const call of delta?.tool_calls ?? []) out.push(...toolCall(call));
      if (choice?.finish_reason) {
        finishReason = choice.finish_reason;
        out.push(...close());
      }
      return out;
    },
    // Some servers end without `[DONE]`; a stream whose finish reason came is complete.
    end: () => (!stopped && finishReason !== undefined ? stop() : []),
  };
}
