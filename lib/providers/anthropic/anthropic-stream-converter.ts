/**
 * Anthropic's Messages stream to OpenAI chat chunks, one handler per event type, each
 * upstream event converted as it arrives: `message_start` opens the assistant turn,
 * text and tool-use blocks become content and tool-call deltas, `message_delta` carries
 * the finish reason (and the usage chunk when `stream_options.include_usage`),
 * `message_stop` becomes `[DONE]`, `ping` is dropped and `error` becomes OpenAI's error
 * event.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming#event-types
 */
import { ChatChunkWriter, nowSeconds, wantsUsage } from '../openai-format/chat-chunk-writer.js';
import { parseUpstreamJson } from '../parse-wire.js';
import type { CallInput, SseEvent, StreamConverter } from '../types.js';
import { StreamEventSchema, type AnthropicUsage, type StreamEvent } from './anthropic-wire.js';
import { openAIErrorTypeFor } from './anthropic-error.js';
import { usageFromAnthropic } from './convert-anthropic-usage.js';
import { finishReasonFromAnthropic } from './map-anthropic-stop-reason.js';

type Handler = (event: StreamEvent) => SseEvent[];

/** Only the counts an event actually carries, so that a later event does not erase earlier ones. */
function presentCounts(usage: AnthropicUsage | undefined): AnthropicUsage {
  return Object.fromEntries(Object.entries(usage ?? {}).filter(([, value]) => typeof value === 'number'));
}

/** Creates the converter for one stream. */
export function createAnthropicStreamConverter(input: CallInput, provider: string): StreamConverter {
  const writer = new ChatChunkWriter({ id: '', model: input.model ?? '', created: nowSeconds() });
  const includeUsage = wantsUsage(input.body);
  /** Content block index → tool call index (OpenAI counts tool calls alone). */
  const toolIndexes = new Map<number, number>();
  let usage: AnthropicUsage = {};

  const handlers: Record<string, Handler> = {
    message_start({ message }) {
      if (message) writer.identity = { ...writer.identity, id: message.id, model: message.model };
      usage = presentCounts(message?.usage);
      return [writer.delta({ role: 'assistant', content: '' })];
    },
    content_block_start({ index = 0, content_block: block }) {
      if (block?.type === 'tool_use') {
        const toolIndex = toolIndexes.size;
        toolIndexes.set(index, toolIndex);
        const call = { index: toolIndex, id: block.id ?? '', type: 'function' as const, function: { name: block.name ?? '', arguments: '' } };
        return [writer.delta({ tool_calls: [call] })];
      }
      return block?.type === 'text' && block.text ? [writer.delta({ content: block.text })] : [];
    },
    content_block_delta({ index = 0, delta }) {
      if (delta?.type === 'text_delta' && delta.text) return [writer.delta({ content: delta.text })];
      const toolIndex = toolIndexes.get(index);
      if (delta?.type === 'input_json_delta' && delta.partial_json && toolIndex !== undefined) {
        return [writer.delta({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] })];
      }
      // Thinking and signature deltas have no OpenAI counterpart.
      return [];
    },
    message_delta(event) {
      usage = { ...usage, ...presentCounts(event.usage) };
      const out = [writer.delta({}, finishReasonFromAnthropic(event.delta?.stop_reason) ?? 'stop')];
      if (includeUsage) out.push(writer.usage(usageFromAnthropic(usage)));
      return out;
    },
    message_stop: () => [writer.done()],
    error({ error }) {
      const type = error?.type ?? 'api_error';
      return [writer.error(error?.message ?? 'Anthropic reported an error in the stream', openAIErrorTypeFor(type, 500), type)];
    },
  };

  return {
    // `ping`, `content_block_stop` and event types added later carry nothing to convert.
    push: (event) => {
      if (event.data === '') return [];
      const parsed = parseUpstreamJson(StreamEventSchema, event.data, provider);
      return handlers[parsed.type]?.(parsed) ?? [];
    },
    end: () => [],
  };
}
