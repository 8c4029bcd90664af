/**
 * Anthropic's Messages stream to OpenAI chat chunks, one handler per event type, each
 * upstream event converted as it arrives: `message_start` opens the assistant turn,
 * text, thinking and tool-use blocks become content, `reasoning_content` and tool-call
 * deltas (the forced JSON tool of a `json_object` request content deltas), `message_delta`
 * carries the finish reason (and the usage chunk when `stream_options.include_usage`),
 * `message_stop` becomes `[DONE]`, `ping` is dropped and `error` becomes OpenAI's error
 * event. A tool call whose input never came gets `"{}"` as its arguments when its block
 * stops, since clients `JSON.parse` them.
 *
 * @see https://docs.anthropic.com/en/api/messages-streaming#event-types
 */
import { ChatChunkWriter, nowSeconds, wantsUsage } from '../openai-format/chat-chunk-writer.js';
import { parseUpstreamJson } from '../parse-wire.js';
import type { CallInput, SseEvent, StreamConverter } from '../types.js';
import { StreamEventSchema, type AnthropicUsage, type StreamEvent } from './anthropic-wire.js';
import { openAIErrorTypeFor } from './anthropic-error.js';
import { JSON_TOOL, usesJsonTool } from './anthropic-output-settings.js';
import { usageFromAnthropic } from './convert-anthropic-usage.js';
import { finishReasonFromAnthropic } from './map-anthropic-stop-reason.js';

type Handler = (event: StreamEvent) => SseEvent[];

/** Only the counts an event actually carries, so that a later event does not erase earlier ones. */
function presentCounts(usage: AnthropicUsage | undefined): AnthropicUsage {
  return Object.fromEntries(Object.entries(usage ?? {}).filter(([, value]) => typeof value === 'number'));
}

/** What one open tool-use block is: a tool call, or the JSON answer's tool. */
type ToolBlock = { kind: 'call'; index: number; sentArguments: boolean } | { kind: 'json' };

/** Creates the converter for one stream. */
export function createAnthropicStreamConverter(input: CallInput, provider: string): StreamConverter {
  const writer = new ChatChunkWriter({ id: '', model: input.model ?? '', created: nowSeconds() });
  const includeUsage = wantsUsage(input.body);
  const jsonTool = usesJsonTool(input.body);
  /** Content block index → its tool call (OpenAI counts tool calls alone). */
  const toolBlocks = new Map<number, ToolBlock>();
  let toolCalls = 0;
  let answeredInJson = false;
  let usage: AnthropicUsage = {};

  const handlers: Record<string, Handler> = {
    message_start({ message }) {
      if (message) writer.identity = { ...writer.identity, id: message.id, model: message.model };
      usage = presentCounts(message?.usage);
      return [writer.delta({ role: 'assistant', content: '' })];
    },
    content_block_start({ index = 0, content_block: block }) {
      if (block?.type === 'tool_use') {
        if (jsonTool && block.name === JSON_TOOL) {
          toolBlocks.set(index, { kind: 'json' });
          answeredInJson = true;
          return [];
        }
        const toolIndex = toolCalls++;
        toolBlocks.set(index, { kind: 'call', index: toolIndex, sentArguments: false });
        const call = { index: toolIndex, id: block.id ?? '', type: 'function' as const, function: { name: block.name ?? '', arguments: '' } };
        return [writer.delta({ tool_calls: [call] })];
      }
      if (block?.type === 'thinking' && block.thinking) return [writer.delta({ reasoning_content: block.thinking })];
      return block?.type === 'text' && block.text ? [writer.delta({ content: block.text })] : [];
    },
    content_block_delta({ index = 0, delta }) {
      if (delta?.type === 'text_delta' && delta.text) return [writer.delta({ content: delta.text })];
      if (delta?.type === 'thinking_delta' && delta.thinking) return [writer.delta({ reasoning_content: delta.thinking })];
      const tool = toolBlocks.get(index);
      if (delta?.type !== 'input_json_delta' || !delta.partial_json || tool === undefined) return [];
      if (tool.kind === 'json') return [writer.delta({ content: delta.partial_json })];
      tool.sentArguments = true;
      return [writer.delta({ tool_calls: [{ index: tool.index, function: { arguments: delta.partial_json } }] })];
    },
    content_block_stop({ index = 0 }) {
      const tool = toolBlocks.get(index);
      if (tool?.kind !== 'call' || tool.sentArguments) return [];
      tool.sentArguments = true;
      return [writer.delta({ tool_calls: [{ index: tool.index, function: { arguments: '{}' } }] })];
    },
    message_delta(event) {
      usage = { ...usage, ...presentCounts(event.usage) };
      const finish = answeredInJson && toolCalls === 0 ? 'stop' : (finishReasonFromAnthropic(event.delta?.stop_reason) ?? 'stop');
      const out = [writer.delta({}, finish)];
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
    arrived: writer.arrived,
    // `ping`, signature deltas and event types added later carry nothing to convert.
    push: (event) => {
      if (event.data === '') return [];
      const parsed = parseUpstreamJson(StreamEventSchema, event.data, provider);
      return handlers[parsed.type]?.(parsed) ?? [];
    },
    end: () => [],
  };
}
