/**
 * `POST /v1/messages/count_tokens` answered by the gateway itself, for a chain with no
 * provider that counts tokens (only Anthropic does): an estimate (see
 * `translate/estimate-input-tokens.ts`), marked `x-gateway-token-count: estimate`. The
 * tokenizer's tables take about half a second to load, so they load on the first count,
 * not at start-up.
 */
import { estimateInputTokens, type CountTokens } from '../translate/estimate-input-tokens.js';

let tokenizer: Promise<CountTokens> | undefined;

function loadTokenizer(): Promise<CountTokens> {
  tokenizer ??= import('gpt-tokenizer/encoding/o200k_base').then(({ countTokens }) => {
    // Text that looks like a special token (`<|endoftext|>`) is text here.
    const options = { disallowedSpecial: new Set<string>() };
    return (text: string) => countTokens(text, options);
  });
  return tokenizer;
}

/**
 * The answer `{"input_tokens":N}`.
 * @param headers the gateway's own headers for the answer
 * @throws GatewayError 400 for a body that is not a Messages request
 */
export async function estimatedTokenCount(body: Record<string, unknown>, headers: Record<string, string>): Promise<Response> {
  const count = await loadTokenizer();
  const inputTokens = estimateInputTokens(body, count);
  return new Response(JSON.stringify({ input_tokens: inputTokens }), {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-gateway-token-count': 'estimate', ...headers },
  });
}
