/** Test usage in the one shape: `input` and `output` tokens, the details 0 unless given. */
import type { TokenUsage } from '../../lib/usage/token-usage.js';

export const tokenUsage = (input: number, output: number, details: Partial<TokenUsage> = {}): TokenUsage => ({
  input_tokens: input,
  output_tokens: output,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  ...details,
});
