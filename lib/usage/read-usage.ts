/**
 * Reads a provider's or a client format's `usage` object into the one `TokenUsage` shape,
 * whatever its dialect:
 * - OpenAI chat and completions: `prompt_tokens`, `completion_tokens`,
 *   `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`
 *   (https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage); the
 *   gateway's own translations add `prompt_tokens_details.cache_write_tokens`; DeepSeek's
 *   `prompt_cache_hit_tokens` counts as a cache read;
 * - OpenAI Responses: `input_tokens`, `output_tokens`, `input_tokens_details.cached_tokens`,
 *   `output_tokens_details.reasoning_tokens`
 *   (https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage);
 * - Anthropic Messages: `input_tokens` without the cache, `cache_read_input_tokens` and
 *   `cache_creation_input_tokens` apart (added to the input here), `output_tokens`
 *   (https://docs.anthropic.com/en/api/messages#response-usage);
 * - embeddings: `prompt_tokens` only.
 */
import type { TokenUsage } from './token-usage.js';

type Fields = Record<string, unknown>;

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);
const object = (value: unknown): Fields | undefined => (value !== null && typeof value === 'object' ? (value as Fields) : undefined);

/**
 * The usage in `value`, or undefined when it is not a usage object (neither an input nor an
 * output count). Missing counts are 0.
 */
export function readUsage(value: unknown): TokenUsage | undefined {
  const usage = object(value);
  if (usage === undefined) return undefined;
  const prompt = usage.prompt_tokens ?? usage.input_tokens;
  const completion = usage.completion_tokens ?? usage.output_tokens;
  if (typeof prompt !== 'number' && typeof completion !== 'number') return undefined;
  const inputDetails = object(usage.prompt_tokens_details ?? usage.input_tokens_details);
  const outputDetails = object(usage.completion_tokens_details ?? usage.output_tokens_details);
  let input = count(prompt);
  let cacheRead = count(inputDetails?.cached_tokens ?? usage.prompt_cache_hit_tokens);
  let cacheWrite = count(inputDetails?.cache_write_tokens);
  // Anthropic's names: its `input_tokens` leaves the cache reads and writes out.
  const anthropicRead = usage.cache_read_input_tokens;
  const anthropicWrite = usage.cache_creation_input_tokens;
  if (usage.prompt_tokens === undefined && (typeof anthropicRead === 'number' || typeof anthropicWrite === 'number')) {
    cacheRead = count(anthropicRead);
    cacheWrite = count(anthropicWrite);
    input += cacheRead + cacheWrite;
  }
  return {
    input_tokens: input,
    output_tokens: count(completion),
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    reasoning_tokens: count(outputDetails?.reasoning_tokens),
  };
}

/** The total a rate limit charges, in tokens: every input and output token. */
export const totalTokens = (usage: TokenUsage): number => usage.input_tokens + usage.output_tokens;
