/**
 * OpenAI's chat and completions stream: `data: {chunk}` events ending in `data: [DONE]`.
 * A chunk with a `finish_reason` also counts as the end (some compatible servers omit
 * `[DONE]`); `data: {"error":{…}}` is an error inside a 200 stream.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
import type { SseEvent } from '../providers/types.js';
import { parseJsonObject as parse, readUsage, type StreamFormat, type StreamState } from './stream-format.js';

function inspect(event: SseEvent, state: StreamState): void {
  const { data } = event;
  if (data === '[DONE]') {
    state.finished = true;
    return;
  }
  // Substring checks first: most chunks carry neither, and parsing each would cost.
  const hasUsage = data.includes('"usage":{') || data.includes('"usage": {');
  const mayHaveError = data.includes('"error"');
  if (/"finish_reason"\s*:\s*"/.test(data)) state.finished = true;
  if (!hasUsage && !mayHaveError) return;
  const chunk = parse(data);
  if (chunk === undefined) return;
  if (hasUsage) state.usage = readUsage(chunk.usage) ?? state.usage;
  const error = chunk.error as { message?: unknown; code?: unknown } | undefined;
  if (error !== null && typeof error === 'object') {
    state.error = {
      message: typeof error.message === 'string' ? error.message : 'Upstream reported an error in the stream',
      code: typeof error.code === 'string' ? error.code : undefined,
    };
  }
}

/** The OpenAI stream format, for `chat` and `completions`. */
export const openAIStreamFormat: StreamFormat = {
  inspect,
  errorEvent: (error) => ({ data: JSON.stringify(error.toJSON()) }),
};
