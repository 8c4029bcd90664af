/**
 * Anthropic's `stop_reason` and OpenAI's `finish_reason`, both ways: the anthropic
 * provider reads the first, a Messages client behind an OpenAI-style provider the second.
 *
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
import type { FinishReason } from '../openai-format/chat-wire.js';

const TO_FINISH_REASON: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

const TO_STOP_REASON: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

/** OpenAI's finish reason for an Anthropic stop reason; `stop` for one it does not know, null for none. */
export function finishReasonFromAnthropic(stopReason: string | null | undefined): FinishReason | null {
  if (stopReason === null || stopReason === undefined) return null;
  return TO_FINISH_REASON[stopReason] ?? 'stop';
}

/** Anthropic's stop reason for an OpenAI finish reason; `end_turn` for one it does not know. */
export function stopReasonFromOpenAI(finishReason: string | null | undefined): string {
  return (finishReason && TO_STOP_REASON[finishReason]) || 'end_turn';
}
