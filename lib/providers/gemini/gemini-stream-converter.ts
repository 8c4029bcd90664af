/**
 * Gemini's `streamGenerateContent?alt=sse` events to OpenAI chat chunks, each event as
 * it arrives. Every event is a whole `GenerateContentResponse` holding the next piece of
 * each candidate: text becomes content deltas, each function call (sent whole) one
 * tool-call delta, a `finishReason` the finish chunk. Gemini's stream has no end marker
 * of its own, so `[DONE]` (after the usage chunk when `stream_options.include_usage`)
 * goes out when the body ends, and only if a finish reason came: a cut stream stays
 * unfinished and the relay reports it.
 *
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
import { errorTypeForStatus } from '../../errors.js';
import { ChatChunkWriter, nowSeconds, wantsUsage, wholeToolCallDeltas } from '../openai-format/chat-chunk-writer.js';
import type { CallInput, SseEvent, StreamConverter } from '../types.js';
import type { UsageMetadata } from './gemini-wire.js';
import { readGeminiResponse } from './read-gemini-response.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { readCandidate, usageFromGemini } from './read-gemini-candidate.js';

/** Creates the converter for one stream. */
export function createGeminiStreamConverter(input: CallInput, provider: string): StreamConverter {
  const writer = new ChatChunkWriter({ id: 'chatcmpl-gemini', model: input.model ?? '', created: nowSeconds() });
  const includeUsage = wantsUsage(input.body);
  let started = false;
  let finished = false;
  let usage: UsageMetadata | undefined;
  /** Tool calls sent so far per candidate index, which numbers the next one. */
  const toolCounts = new Map<number, number>();

  return {
    arrived: writer.arrived,
    push({ data }) {
      const response = readGeminiResponse(data, provider);
      if (response.error) {
        const { code = 500, message = `Provider ${provider} reported an error in the stream`, status } = response.error;
        return [writer.error(message, errorTypeForStatus(code), status ?? null)];
      }
      const out: SseEvent[] = [];
      if (!started) {
        started = true;
        writer.identity = { ...writer.identity, id: response.responseId ?? writer.identity.id, model: response.modelVersion ?? writer.identity.model };
        out.push(writer.delta({ role: 'assistant', content: '' }));
      }
      usage = response.usageMetadata ?? usage;
      const candidates = response.candidates ?? [];
      if (candidates.length === 0 && response.promptFeedback?.blockReason) {
        finished = true;
        out.push(writer.delta({}, 'content_filter'));
      }
      for (const [position, candidate] of candidates.entries()) {
        const index = candidate.index ?? position;
        const { text, reasoning, toolCalls } = readCandidate(candidate);
        if (reasoning !== '') out.push(writer.delta({ reasoning_content: reasoning }, null, index));
        if (text !== '') out.push(writer.delta({ content: text }, null, index));
        const before = toolCounts.get(index) ?? 0;
        if (toolCalls.length > 0) {
          out.push(writer.delta({ tool_calls: wholeToolCallDeltas(toolCalls, before) }, null, index));
          toolCounts.set(index, before + toolCalls.length);
        }
        const reason = mapGeminiFinishReason(candidate.finishReason, (toolCounts.get(index) ?? 0) > 0);
        if (reason !== null) {
          finished = true;
          out.push(writer.delta({}, reason, index));
        }
      }
      return out;
    },
    end() {
      if (!finished) return [];
      return includeUsage ? [writer.usage(usageFromGemini(usage)), writer.done()] : [writer.done()];
    },
  };
}
