/**
 * Ollama's NDJSON chat stream to OpenAI chat chunks, line by line as they arrive: each
 * line's content becomes a content delta, its tool calls (sent whole) tool-call deltas,
 * and the last line (`"done": true`) the finish chunk, the usage chunk when
 * `stream_options.include_usage`, and `[DONE]`. An `error` line becomes OpenAI's
 * error event.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
import { ChatChunkWriter, nowSeconds, wantsUsage, wholeToolCallDeltas } from '../openai-format/chat-chunk-writer.js';
import { parseUpstreamJson } from '../parse-wire.js';
import type { CallInput, SseEvent, StreamConverter } from '../types.js';
import { ollamaCompletionId } from './convert-ollama-response.js';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';
import { OllamaChatResponseSchema } from './ollama-wire.js';
import { createdOf, toolCallsOf, usageOf } from './read-ollama-message.js';

/** Creates the converter for one stream. */
export function createOllamaStreamConverter(input: CallInput, provider: string): StreamConverter {
  const writer = new ChatChunkWriter({ id: ollamaCompletionId(), model: input.model ?? '', created: nowSeconds() });
  const includeUsage = wantsUsage(input.body);
  let started = false;
  let toolCount = 0;

  return {
    arrived: writer.arrived,
    push({ data }) {
      const line = parseUpstreamJson(OllamaChatResponseSchema, data, provider);
      if (line.error !== undefined) return [writer.error(line.error, 'api_error')];
      const out: SseEvent[] = [];
      if (!started) {
        started = true;
        writer.identity = { ...writer.identity, model: line.model ?? writer.identity.model, created: createdOf(line) };
        out.push(writer.delta({ role: 'assistant', content: '' }));
      }
      const thinking = line.message?.thinking;
      if (thinking) out.push(writer.delta({ reasoning_content: thinking }));
      const content = line.message?.content;
      if (content) out.push(writer.delta({ content }));
      const calls = toolCallsOf(line);
      if (calls.length > 0) {
        out.push(writer.delta({ tool_calls: wholeToolCallDeltas(calls, toolCount) }));
        toolCount += calls.length;
      }
      if (line.done === true) {
        out.push(writer.delta({}, mapOllamaDoneReason(line.done_reason, toolCount > 0)));
        if (includeUsage) out.push(writer.usage(usageOf(line)));
        out.push(writer.done());
      }
      return out;
    },
    end: () => [],
  };
}
