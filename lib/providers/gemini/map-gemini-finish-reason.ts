/**
 * Gemini's `finishReason` to OpenAI's `finish_reason`. Gemini ends a turn that calls
 * functions with `STOP`; OpenAI says `tool_calls`.
 *
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
import type { FinishReason } from '../openai-format/chat-wire.js';

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  LANGUAGE: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

/**
 * OpenAI's finish reason; `stop` for reasons without a counterpart (`OTHER`,
 * `MALFORMED_FUNCTION_CALL`), null while the candidate is not finished.
 * @param calledFunctions whether the candidate called any function
 */
export function mapGeminiFinishReason(finishReason: string | undefined, calledFunctions: boolean): FinishReason | null {
  if (finishReason === undefined) return null;
  const mapped = FINISH_REASONS[finishReason] ?? 'stop';
  return mapped === 'stop' && calledFunctions ? 'tool_calls' : mapped;
}
