/**
 * Token usage, both ways. Anthropic counts cache reads and writes apart from
 * `input_tokens`; OpenAI counts them in `prompt_tokens`, cache reads also as
 * `prompt_tokens_details.cached_tokens`.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
import { chatUsage } from '../openai-format/chat-chunk-writer.js';
import type { ChatUsage } from '../openai-format/chat-wire.js';
import type { AnthropicUsage } from './anthropic-wire.js';

/** OpenAI's usage for Anthropic's. */
export function usageFromAnthropic(usage: AnthropicUsage | undefined): ChatUsage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const prompt = (usage?.input_tokens ?? 0) + cacheWrite + cacheRead;
  return chatUsage(prompt, usage?.output_tokens ?? 0, cacheRead, cacheWrite);
}

/** Anthropic's usage for OpenAI's (zeros when the provider reported none). */
export function usageToAnthropic(
  usage: ChatUsage | null | undefined,
): { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number } {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const written = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached - written),
    output_tokens: usage?.completion_tokens ?? 0,
    ...(cached > 0 ? { cache_read_input_tokens: cached } : {}),
    ...(written > 0 ? { cache_creation_input_tokens: written } : {}),
  };
}
