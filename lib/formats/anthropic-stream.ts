/**
 * Anthropic's Messages stream, for `POST /v1/messages`: named events (`event:
 * message_start`, …) ending in `message_stop`; `event: error` is an error inside a 200
 * stream; usage comes from `message_start` (input) and `message_delta` (output).
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
import { anthropicError, anthropicErrorType } from '../providers/anthropic/anthropic-error.js';
import type { SseEvent } from '../providers/types.js';
import { countArrived, noOutput } from '../usage/arrived-output.js';
import { parseJsonObject as parse, readUsage, type StreamFormat, type StreamState } from './stream-format.js';

/** The keys of a `content_block_delta`'s answer text: `text_delta`, `thinking_delta`, `input_json_delta`. */
const TEXT_KEYS = ['text"', 'thinking"', 'partial_json"'];

/** The Messages stream's state: the usage counts as they came, merged across events. */
interface AnthropicStreamState extends StreamState {
  rawUsage?: Record<string, number>;
}

/** The events whose data the format reads; every other one is passed over unparsed. */
const READ = new Set(['message_start', 'message_delta', 'error']);

function inspect(event: SseEvent, state: StreamState): void {
  if (event.event === 'message_stop') {
    state.finished = true;
    return;
  }
  if (event.event === 'content_block_delta') {
    countArrived(event.data, TEXT_KEYS, (state.arrived ??= noOutput()));
    return;
  }
  if (event.event !== undefined && !READ.has(event.event)) return;
  const body = parse(event.data);
  const type = event.event ?? body?.type;
  if (body === undefined || typeof type !== 'string') return;
  if (type === 'content_block_delta') countArrived(event.data, TEXT_KEYS, (state.arrived ??= noOutput()));
  if (type === 'message_stop') state.finished = true;
  if (type === 'message_start' || type === 'message_delta') {
    // `message_start` has the input (cache reads and writes apart); `message_delta` the
    // output so far, and restates the input counts when the provider does. Merged raw, then read.
    const usage = (type === 'message_start' ? (body.message as { usage?: unknown } | undefined)?.usage : body.usage) as Record<string, unknown> | undefined;
    if (usage !== null && typeof usage === 'object') {
      const raw = ((state as AnthropicStreamState).rawUsage ??= {});
      for (const [name, value] of Object.entries(usage)) if (typeof value === 'number') raw[name] = value;
      state.usage = readUsage(raw) ?? state.usage;
    }
  }
  if (type === 'error') {
    const error = body.error as { message?: unknown; type?: unknown } | undefined;
    state.error = {
      message: typeof error?.message === 'string' ? error.message : 'Upstream reported an error in the stream',
      code: typeof error?.type === 'string' ? error.type : undefined,
    };
  }
}

/** The Messages stream format, for `messages`. */
export const anthropicStreamFormat: StreamFormat = {
  inspect,
  errorEvent: (error) => ({ event: 'error', data: JSON.stringify(anthropicError(anthropicErrorType(error.status, error.code), error.message)) }),
};
