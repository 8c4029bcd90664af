/**
 * OpenAI's Responses stream, for `POST /v1/responses`: named events each carrying a
 * `sequence_number`, ending in `response.completed` or `response.incomplete` (no `[DONE]`);
 * `response.failed` or an `error` event report a failure inside a 200 stream. Every event
 * is read: the format keeps the response's id, the last sequence number and, at the end,
 * the whole `response` (the gateway stores it before the last event reaches the client). A
 * stream that breaks ends with `response.failed`, never `response.completed`.
 *
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
import type { SseEvent } from '../providers/types.js';
import { countArrivedText, noOutput } from '../usage/arrived-output.js';
import { parseJsonObject as parse, readUsage, type StreamFormat, type StreamState } from './stream-format.js';

const FINAL = new Set(['response.completed', 'response.incomplete']);

/** What the format keeps of one Responses stream, in its `StreamState`. */
export interface ResponsesStreamState extends StreamState {
  responseId?: string;
  /** The last `sequence_number` seen. */
  sequence?: number;
  /** The final `response` object, once `response.completed` or `response.incomplete` came. */
  response?: Record<string, unknown>;
  /** The output items finished so far (`response.output_item.done`), which `response.failed` keeps. */
  output?: unknown[];
}

function errorOf(value: unknown): { message: string; code?: string } {
  const error = (value ?? {}) as { message?: unknown; code?: unknown };
  return {
    message: typeof error.message === 'string' ? error.message : 'Upstream reported an error in the stream',
    code: typeof error.code === 'string' ? error.code : undefined,
  };
}

function inspect(event: SseEvent, state: ResponsesStreamState): void {
  const body = parse(event.data);
  if (body === undefined) return;
  if (typeof body.sequence_number === 'number') state.sequence = body.sequence_number;
  const type = body.type ?? event.event;
  const response = body.response as Record<string, unknown> | undefined;
  if (typeof response?.id === 'string') state.responseId ??= response.id;
  // Answer text as it arrives (`response.output_text.delta`, reasoning and tool argument deltas), for a stream cut before its usage.
  if (typeof body.delta === 'string') countArrivedText(body.delta, (state.arrived ??= noOutput()));
  else if (type === 'response.output_item.done' && body.item !== undefined) (state.output ??= []).push(body.item);
  else if (typeof type === 'string' && FINAL.has(type) && response) {
    state.finished = true;
    state.response = response;
    state.usage = readUsage(response.usage) ?? state.usage;
  } else if (type === 'response.failed') state.error = errorOf(response?.error);
  else if (type === 'error') state.error = errorOf(body);
  // A chat error object relayed in place of a chunk (a translated provider's in-stream error).
  else if (body.error !== undefined && body.error !== null) state.error = errorOf(body.error);
}

/** The Responses stream format, for `responses`. */
export const responsesStreamFormat: StreamFormat = {
  inspect,
  errorEvent(error, state?: ResponsesStreamState) {
    const data = {
      type: 'response.failed',
      sequence_number: (state?.sequence ?? -1) + 1,
      response: {
        id: state?.responseId ?? null,
        object: 'response',
        status: 'failed',
        error: { code: error.code ?? 'server_error', message: error.message },
        incomplete_details: null,
        // What finished before the break, so that a client loses no whole item.
        output: state?.output ?? [],
      },
    };
    return { event: 'response.failed', data: JSON.stringify(data) };
  },
};
