/**
 * OpenAI chat stream chunks to the Responses API's stream, chunk by chunk: the first chunk
 * opens the response (`response.created`, `response.in_progress`); reasoning text, message
 * text and each tool call open an output item, fill it with deltas and close it; `[DONE]`
 * (or the end of a stream whose finish reason came) closes what is open and ends with
 * `response.completed` (or `response.incomplete` after a length stop), whose `response` is
 * the whole answer. Every event carries its `sequence_number`. A stream that ends without a
 * finish reason ends with nothing here: the relay then sends `response.failed`.
 *
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { ChatChunkSchema, type ChatChunk, type ToolCallDelta } from '../../providers/openai-format/chat-wire.js';
import { parseUpstreamJson } from '../../providers/parse-wire.js';
import type { SseEvent, StreamConverter } from '../../providers/types.js';
import type { ResponsesOutputItem, ResponsesUsage } from './responses-wire.js';
import { responsesToolName } from './tool-names.js';
import { endOf, functionCallItem, messageItem, newItemId, reasoningItem, responseObject, responsesUsage, type ResponseContext } from './response-object.js';

/** The item being filled, if any. */
type OpenItem =
  | { kind: 'reasoning'; id: string; index: number; text: string }
  | { kind: 'message'; id: string; index: number; text: string }
  | { kind: 'function_call'; id: string; index: number; callId: string; name: string; args: string; chatIndex: number };

/** Creates the converter for one stream. */
export function createChatToResponsesStreamConverter(context: ResponseContext, provider: string): StreamConverter {
  let sequence = 0;
  let started = false;
  let stopped = false;
  let open: OpenItem | undefined;
  const output: ResponsesOutputItem[] = [];
  /** Chat tool-call index → its output item, while its arguments stream. */
  const calls = new Map<number, Extract<OpenItem, { kind: 'function_call' }>>();
  let finishReason: string | undefined;
  let usage: ResponsesUsage | undefined;

  const emit = (type: string, fields: Record<string, unknown>): SseEvent => ({ event: type, data: JSON.stringify({ type, sequence_number: sequence++, ...fields }) });

  const start = (): SseEvent[] => {
    if (started) return [];
    started = true;
    const response = responseObject(context, { status: 'in_progress', output: [] });
    return [emit('response.created', { response }), emit('response.in_progress', { response })];
  };

  const close = (): SseEvent[] => {
    const item = open;
    if (item === undefined) return [];
    open = undefined;
    const base = { item_id: item.id, output_index: item.index };
    if (item.kind === 'reasoning') {
      const done = reasoningItem(item.id, item.text);
      output.push(done);
      const part = { type: 'summary_text', text: item.text };
      return [
        emit('response.reasoning_summary_text.done', { ...base, summary_index: 0, text: item.text }),
        emit('response.reasoning_summary_part.done', { ...base, summary_index: 0, part }),
        emit('response.output_item.done', { output_index: item.index, item: done }),
      ];
    }
    if (item.kind === 'message') {
      const done = messageItem(item.id, item.text);
      output.push(done);
      return [
        emit('response.output_text.done', { ...base, content_index: 0, text: item.text, logprobs: [] }),
        emit('response.content_part.done', { ...base, content_index: 0, part: (done.content as unknown[])[0] }),
        emit('response.output_item.done', { output_index: item.index, item: done }),
      ];
    }
    const done = functionCallItem(item.id, item.callId, item.name, item.args || '{}', context.request.tools);
    output.push(done);
    calls.delete(item.chatIndex);
    return [
      emit('response.function_call_arguments.done', { ...base, name: done.name, arguments: item.args || '{}' }),
      emit('response.output_item.done', { output_index: item.index, item: done }),
    ];
  };

  /** Opens an item of `kind` unless one is open: closes any other first. */
  const openItem = (item: OpenItem): SseEvent[] => {
    const out = close();
    open = item;
    if (item.kind === 'reasoning') {
      out.push(emit('response.output_item.added', { output_index: item.index, item: { type: 'reasoning', id: item.id, summary: [] } }));
      out.push(emit('response.reasoning_summary_part.added', { item_id: item.id, output_index: item.index, summary_index: 0, part: { type: 'summary_text', text: '' } }));
    } else if (item.kind === 'message') {
      out.push(emit('response.output_item.added', { output_index: item.index, item: { type: 'message', id: item.id, status: 'in_progress', role: 'assistant', content: [] } }));
      out.push(
        emit('response.content_part.added', { item_id: item.id, output_index: item.index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }),
      );
    } else {
      const named = responsesToolName(item.name, context.request.tools);
      const added = { type: 'function_call', id: item.id, call_id: item.callId, ...named, arguments: '', status: 'in_progress' };
      out.push(emit('response.output_item.added', { output_index: item.index, item: added }));
    }
    return out;
  };

  const nextIndex = () => output.length + (open === undefined ? 0 : 1);

  const reasoning = (delta: string): SseEvent[] => {
    const out = open?.kind === 'reasoning' ? [] : openItem({ kind: 'reasoning', id: newItemId('rs'), index: nextIndex(), text: '' });
    const item = open as Extract<OpenItem, { kind: 'reasoning' }>;
    item.text += delta;
    out.push(emit('response.reasoning_summary_text.delta', { item_id: item.id, output_index: item.index, summary_index: 0, delta }));
    return out;
  };

  const text = (delta: string): SseEvent[] => {
    const out = open?.kind === 'message' ? [] : openItem({ kind: 'message', id: newItemId('msg'), index: nextIndex(), text: '' });
    const item = open as Extract<OpenItem, { kind: 'message' }>;
    item.text += delta;
    out.push(emit('response.output_text.delta', { item_id: item.id, output_index: item.index, content_index: 0, delta, logprobs: [] }));
    return out;
  };

  const toolCall = (delta: ToolCallDelta): SseEvent[] => {
    const out: SseEvent[] = [];
    let item = calls.get(delta.index);
    if (item === undefined) {
      item = { kind: 'function_call', id: newItemId('fc'), index: nextIndex(), callId: delta.id || newItemId('fc'), name: delta.function?.name ?? '', args: '', chatIndex: delta.index };
      out.push(...openItem(item));
      calls.set(delta.index, item);
    }
    const partial = delta.function?.arguments;
    // Calls stream one after another; deltas of a call that is no longer open have no item to go to.
    if (partial && open === item) {
      item.args += partial;
      out.push(emit('response.function_call_arguments.delta', { item_id: item.id, output_index: item.index, delta: partial }));
    }
    return out;
  };

  const stop = (): SseEvent[] => {
    stopped = true;
    const out = [...start(), ...close()];
    if (output.length === 0) {
      out.push(...openItem({ kind: 'message', id: newItemId('msg'), index: 0, text: '' }), ...close());
    }
    const end = endOf(finishReason);
    const response = responseObject(context, { ...end, output, usage });
    out.push(emit(end.status === 'completed' ? 'response.completed' : 'response.incomplete', { response }));
    return out;
  };

  return {
    push({ data }) {
      if (stopped) return [];
      if (data === '[DONE]') return finishReason === undefined ? [] : stop();
      const chunk: ChatChunk = parseUpstreamJson(ChatChunkSchema, data, provider);
      // An error object instead of a chunk: the relay reads it from here and ends with `response.failed`.
      if (chunk.error) return [{ data }];
      const out = start();
      if (chunk.usage) usage = responsesUsage(chunk.usage);
      const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
      const delta = choice?.delta as (Record<string, unknown> & NonNullable<typeof choice>['delta']) | undefined;
      const thought = delta?.reasoning_content ?? delta?.reasoning;
      if (typeof thought === 'string' && thought.length > 0) out.push(...reasoning(thought));
      const content = delta?.content || delta?.refusal;
      if (content) out.push(...text(content));
      for (const call of delta?.tool_calls ?? []) out.push(...toolCall(call));
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      return out;
    },
    // Some servers end without `[DONE]`; a stream whose finish reason came is complete.
    end: () => (!stopped && finishReason !== undefined ? stop() : []),
  };
}
