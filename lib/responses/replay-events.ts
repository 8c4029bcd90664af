/**
 * A stored response as the Responses stream would have carried it
 * (`GET /v1/responses/{id}?stream=true`): `response.created`, `response.in_progress`, each
 * output item added, filled in one delta and done, then the final event; numbered from 0.
 *
 * @see https://platform.openai.com/docs/api-reference/responses/retrieve
 */
import type { SseEvent } from '../providers/types.js';

type Item = Record<string, unknown> & { type?: string; id?: string };

/** The events, from `starting_after + 1` on when it is given. */
export function replayEvents(response: Record<string, unknown>, startingAfter = -1): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => events.push({ event: type, data: JSON.stringify({ type, sequence_number: events.length, ...fields }) });
  const opening = { ...response, status: 'in_progress', output: [], usage: null };
  emit('response.created', { response: opening });
  emit('response.in_progress', { response: opening });
  const output = (response.output as Item[] | undefined) ?? [];
  output.forEach((item, index) => {
    const base = { item_id: item.id, output_index: index };
    if (item.type === 'message') {
      emit('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', content: [] } });
      ((item.content as Item[] | undefined) ?? []).forEach((part, contentIndex) => {
        const at = { ...base, content_index: contentIndex };
        emit('response.content_part.added', { ...at, part: part.type === 'output_text' ? { ...part, text: '' } : part });
        if (part.type === 'output_text') {
          emit('response.output_text.delta', { ...at, delta: part.text, logprobs: [] });
          emit('response.output_text.done', { ...at, text: part.text, logprobs: [] });
        }
        emit('response.content_part.done', { ...at, part });
      });
    } else if (item.type === 'function_call') {
      emit('response.output_item.added', { output_index: index, item: { ...item, arguments: '', status: 'in_progress' } });
      emit('response.function_call_arguments.delta', { ...base, delta: item.arguments });
      emit('response.function_call_arguments.done', { ...base, name: item.name, arguments: item.arguments });
    } else if (item.type === 'reasoning') {
      emit('response.output_item.added', { output_index: index, item: { ...item, summary: [] } });
      ((item.summary as Item[] | undefined) ?? []).forEach((part, summaryIndex) => {
        const at = { ...base, summary_index: summaryIndex };
        emit('response.reasoning_summary_part.added', { ...at, part: { ...part, text: '' } });
        emit('response.reasoning_summary_text.delta', { ...at, delta: part.text });
        emit('response.reasoning_summary_text.done', { ...at, text: part.text });
        emit('response.reasoning_summary_part.done', { ...at, part });
      });
    } else emit('response.output_item.added', { output_index: index, item });
    emit('response.output_item.done', { output_index: index, item });
  });
  const status = response.status;
  emit(status === 'incomplete' ? 'response.incomplete' : status === 'failed' ? 'response.failed' : 'response.completed', { response });
  return events.slice(startingAfter + 1);
}
