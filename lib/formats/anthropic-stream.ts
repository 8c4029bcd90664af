/**
 * Anthropic's Messages stream, for `POST /v1/messages`: named events (`event:
 * message_start`, …) ending in `message_stop`; `event: error` is an error inside a 200
 * stream; usage comes from `message_start` (input) and `message_delta` (output).
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
import { anthropicError, anthropicErrorType } from '../providers/anthropic/anthropic-error.js';
import type { SseEvent } from '../providers/types.js';
import { parseJsonObject as parse, readUsage, type StreamFormat, type StreamState } from './stream-format.js';

/** The events whose data the format reads; every other one is passed over unparsed. */
const READ = new Set(['message_start', 'message_delta', 'error']);

function inspect(event: SseEvent, state: StreamState): void {
  if (event.event === 'message_stop') {
    state.finished = true;
    return;
  }
  if (event.event !== undefined && !READ.has(event.event)) return;
  const body = parse(event.data);
  const type = event.event ?? body?.type;
  if (body === undefined || typeof type !== 'string') return;
  if (type === 'message_stop') state.finished = true;
  if (type === 'message_start') state.usage = readUsage((body.message as { usage?: unknown } | undefined)?.usage) ?? state.usage;
  if (type === 'message_delta') {
    // Output tokens arrive here; input tokens only when the provider restates them.
    const usage = body.usage as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
    const prompt = typeof usage?.input_tokens === 'number' ? usage.input_tokens : (state.usage?.prompt_tokens ?? 0);
    const completion = typeof usage?.output_tokens === 'number' ? usage.output_tokens : (state.usage?.completion_tokens ?? 0);
    state.usage = { prompt_tokens: prompt, completion_tokens: completion };
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
