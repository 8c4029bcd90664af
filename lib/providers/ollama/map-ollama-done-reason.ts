/**
 * Ollama's `done_reason` to OpenAI's `finish_reason`. Ollama ends a turn that calls
 * tools with `stop`; OpenAI says `tool_calls`.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
import type { FinishReason } from '../openai-format/chat-wire.js';

/**
 * OpenAI's finish reason: `length` when the token limit cut the answer, `stop` for
 * `stop` and reasons without a counterpart (`load`, `unload`).
 * @param calledTools whether the answer called any tool
 */
export function mapOllamaDoneReason(doneReason: string | undefined, calledTools: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  return calledTools ? 'tool_calls' : 'stop';
}
