/**
 * Token counts of one answer in one shape for every provider and dialect, as the price
 * table bills them. Totals follow OpenAI's convention: `input_tokens` counts every input
 * token, the cached reads and cache writes among them; `output_tokens` counts every output
 * token, reasoning among them.
 * OpenAI: https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * Anthropic (counts cache reads and writes apart from `input_tokens`; added in here):
 * https://docs.anthropic.com/en/api/messages#response-usage
 * Gemini: https://ai.google.dev/api/generate-content#UsageMetadata
 */
export interface TokenUsage {
  /** All input (prompt) tokens, in tokens, cached reads and cache writes included. */
  input_tokens: number;
  /** All output (completion) tokens, in tokens, reasoning included. */
  output_tokens: number;
  /** Input tokens read from the provider's prompt cache (a part of `input_tokens`). */
  cache_read_tokens: number;
  /** Input tokens written to the provider's prompt cache (a part of `input_tokens`). */
  cache_write_tokens: number;
  /** Output tokens spent on reasoning (a part of `output_tokens`). */
  reasoning_tokens: number;
  /** True when the answer was cut short (a stream that broke or a client that left): what arrived. */
  partial?: boolean;
  /**
   * True when a count is the gateway's own estimate rather than the provider's: a stream cut
   * before its usage event (see `arrived-output.ts`).
   */
  estimated?: boolean;
}
