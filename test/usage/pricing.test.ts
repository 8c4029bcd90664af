/**
 * Prices computed on recorded usage of each dialect, read the way the gateway reads it
 * (`readUsage`, the stream formats), against the providers' published rates per million
 * tokens (the price table's): cache hits, cache writes, reasoning, a long-context tier, a
 * stream's usage chunk, a cut stream; unpriced models; GATEWAY_PRICES.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.js';
import { anthropicStreamFormat } from '../../lib/formats/anthropic-stream.js';
import { openAIStreamFormat } from '../../lib/formats/openai-stream.js';
import type { StreamState } from '../../lib/formats/stream-format.js';
import { parseCustomPrices } from '../../lib/pricing/custom-prices.js';
import { createPricer, formatUsd } from '../../lib/pricing/pricer.js';
import { PRICE_TABLE_PROVIDERS } from '../../lib/pricing/provider-ids.js';
import { usageFromGemini } from '../../lib/providers/gemini/read-gemini-candidate.js';
import { readUsage } from '../../lib/usage/read-usage.js';
import type { TokenUsage } from '../../lib/usage/token-usage.js';

const pricer = createPricer();
/** USD for `tokens` at `perMillion` USD per million. */
const usd = (tokens: number, perMillion: number) => (tokens * perMillion) / 1e6;
const near = (value: number | null, expected: number) => {
  expect(value).not.toBeNull();
  expect(value as number).toBeCloseTo(expected, 12);
};

describe('cost of recorded usage, per dialect', () => {
  it('OpenAI chat with a cache hit: cached input at the cache-read rate (gpt-4o-mini: 0.15, cached 0.075, output 0.60)', () => {
    const usage = readUsage({ prompt_tokens: 2006, completion_tokens: 300, total_tokens: 2306, prompt_tokens_details: { cached_tokens: 1920 } }) as TokenUsage;
    expect(usage).toMatchObject({ input_tokens: 2006, cache_read_tokens: 1920 });
    near(pricer.cost('openai', 'gpt-4o-mini', usage), usd(86, 0.15) + usd(1920, 0.075) + usd(300, 0.6));
  });

  it('OpenAI reasoning tokens are output tokens at the output rate, not billed twice (o3: 2 and 8)', () => {
    const usage = readUsage({ prompt_tokens: 1000, completion_tokens: 900, completion_tokens_details: { reasoning_tokens: 768 } }) as TokenUsage;
    expect(usage.reasoning_tokens).toBe(768);
    near(pricer.cost('openai', 'o3', usage), usd(1000, 2) + usd(900, 8));
  });

  it('Anthropic cache reads and writes, counted apart from input_tokens (claude-sonnet-4: 3, write 3.75, read 0.30, output 15)', () => {
    const usage = readUsage({ input_tokens: 50, cache_creation_input_tokens: 4735, cache_read_input_tokens: 10_000, output_tokens: 255 }) as TokenUsage;
    expect(usage).toEqual({ input_tokens: 14_785, output_tokens: 255, cache_read_tokens: 10_000, cache_write_tokens: 4735, reasoning_tokens: 0 });
    near(pricer.cost('anthropic', 'claude-sonnet-4-20250514', usage), usd(50, 3) + usd(4735, 3.75) + usd(10_000, 0.3) + usd(255, 15));
  });

  it('Gemini past 200k input tokens: the long-context tier for every token (gemini-2.5-pro: 2.50, cached 0.25, output 15)', () => {
    // Gemini's usageMetadata as the gateway translates it into OpenAI's usage, then reads it.
    const chat = usageFromGemini({ promptTokenCount: 300_000, cachedContentTokenCount: 100_000, candidatesTokenCount: 500, thoughtsTokenCount: 1500 });
    const usage = readUsage(chat) as TokenUsage;
    expect(usage).toEqual({ input_tokens: 300_000, output_tokens: 2000, cache_read_tokens: 100_000, cache_write_tokens: 0, reasoning_tokens: 1500 });
    near(pricer.cost('gemini', 'gemini-2.5-pro', usage), usd(200_000, 2.5) + usd(100_000, 0.25) + usd(2000, 15));
    // Below the tier, the base rates (1.25, output 10).
    const short = readUsage(usageFromGemini({ promptTokenCount: 1000, candidatesTokenCount: 100 })) as TokenUsage;
    near(pricer.cost('gemini', 'gemini-2.5-pro', short), usd(1000, 1.25) + usd(100, 10));
  });

  it('Responses usage with cached input (gpt-4o: 2.50, cached 1.25, output 10)', () => {
    const usage = readUsage({ input_tokens: 500, input_tokens_details: { cached_tokens: 100 }, output_tokens: 80, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 580 }) as TokenUsage;
    near(pricer.cost('openai', 'gpt-4o', usage), usd(400, 2.5) + usd(100, 1.25) + usd(80, 10));
  });

  it('a chat stream’s usage chunk, as the stream format reads it', () => {
    const state: StreamState = { finished: false };
    const chunk = { id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 20, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 8 } } };
    openAIStreamFormat.inspect({ data: JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }], usage: null }) }, state);
    expect(state.usage).toBeUndefined();
    openAIStreamFormat.inspect({ data: JSON.stringify(chunk) }, state);
    near(pricer.cost('openai', 'gpt-4o-mini', state.usage as TokenUsage), usd(12, 0.15) + usd(8, 0.075) + usd(5, 0.6));
  });

  it('a Messages stream cut after message_start counts its input (and the output so far)', () => {
    const state: StreamState = { finished: false };
    const usage = { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 1 };
    anthropicStreamFormat.inspect({ event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { id: 'm', usage } }) }, state);
    expect(state.usage).toEqual({ input_tokens: 1210, output_tokens: 1, cache_read_tokens: 1000, cache_write_tokens: 200, reasoning_tokens: 0 });
    near(pricer.cost('anthropic', 'claude-3-5-haiku-20241022', state.usage as TokenUsage), usd(10, 0.8) + usd(200, 1) + usd(1000, 0.08) + usd(1, 4));
    // The end restates the output; the input read at the start stays.
    anthropicStreamFormat.inspect({ event: 'message_delta', data: JSON.stringify({ type: 'message_delta', delta: {}, usage: { output_tokens: 40 } }) }, state);
    expect(state.usage).toMatchObject({ input_tokens: 1210, output_tokens: 40, cache_read_tokens: 1000 });
  });
});

describe('the pricer against the price table itself', () => {
  it('gives what calcPrice gives, for every model of every mapped provider (flat, tiered and dated prices)', () => {
    const samples = [
      { input_tokens: 1234, output_tokens: 567, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 },
      { input_tokens: 250_000, output_tokens: 4000, cache_read_tokens: 100_000, cache_write_tokens: 20_000, reasoning_tokens: 1000 },
    ];
    let compared = 0;
    for (const [ours, providerId] of Object.entries(PRICE_TABLE_PROVIDERS)) {
      for (const model of findProvider({ providerId })?.models ?? []) {
        for (const usage of samples) {
          const { reasoning_tokens: _reasoning, ...counts } = usage;
          let expected: number | undefined;
          try {
            expected = calcPrice(counts, model.id, { providerId })?.total_price;
          } catch {
            continue;
          }
          if (expected === undefined) continue;
          expect(pricer.cost(ours, model.id, usage), `${ours}/${model.id}`).toBeCloseTo(expected, 9);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('unpriced and custom prices', () => {
  const usage: TokenUsage = { input_tokens: 1_000_000, output_tokens: 1_000_000, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };

  it('a model without a price is null (unpriced), never 0', () => {
    expect(pricer.cost('openai', 'no-such-model-xyz', usage)).toBeNull();
    expect(pricer.cost('ollama', 'llama3.2', usage)).toBeNull();
    expect(pricer.cost('my-vllm', 'llama-3.1-8b-instruct', usage)).toBeNull();
    expect(pricer.cost('openai', undefined, usage)).toBeNull();
  });

  it('GATEWAY_PRICES prices unlisted models, a provider’s every model, overrides the table, and tiers', () => {
    const custom = createPricer(
      parseCustomPrices(
        JSON.stringify({
          'ollama/*': { input: 0, output: 0 },
          'openai/gpt-4o-mini': { input: 1, output: 2, cache_read: 0.5 },
          'my-vllm/big': { input: { base: 1, tiers: [{ start: 500_000, price: 2 }] }, output: 3 },
          'openrouter/acme/model': { input: 4, output: 5 },
        }),
      ),
    );
    expect(custom.cost('ollama', 'llama3.2', usage)).toBe(0);
    expect(custom.cost('openai', 'gpt-4o-mini', { ...usage, cache_read_tokens: 500_000 })).toBeCloseTo(0.5 + 0.25 + 2, 10);
    expect(custom.cost('my-vllm', 'big', usage)).toBeCloseTo(2 + 3, 10);
    expect(custom.cost('my-vllm', 'big', { ...usage, input_tokens: 100_000 })).toBeCloseTo(0.1 + 3, 10);
    expect(custom.cost('openrouter', 'acme/model', usage)).toBeCloseTo(9, 10);
    // Other models still come from the table.
    near(custom.cost('openai', 'gpt-4o', usage), 2.5 + 10);
  });

  it('formats costs as plain decimals', () => {
    expect(formatUsd(0.0000054)).toBe('0.0000054');
    expect(formatUsd(1e-10)).toBe('0.0000000001');
    expect(formatUsd(12.5)).toBe('12.5');
    expect(formatUsd(0)).toBe('0');
  });

  it('GATEWAY_PRICES is checked at start-up, inline or as a file, with a ConfigError naming what is wrong', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
    writeFileSync(file, JSON.stringify({ 'ollama/llama3.2': { input: 0.1, output: 0.2 } }));
    expect(loadConfig({ GATEWAY_PRICES: file }).prices).toEqual({ 'ollama/llama3.2': { input: 0.1, output: 0.2 } });
    const bad: [string, RegExp][] = [
      ['{not json', /GATEWAY_PRICES is not JSON/],
      ['{"openai/x": {"input": -1, "output": 1}}', /GATEWAY_PRICES "openai\/x.input"/],
      ['{"openai/x": {"input": 1}}', /GATEWAY_PRICES "openai\/x.output"/],
      ['{"gpt-4o": {"input": 1, "output": 1}}', /provider\/model/],
      ['{"openai/x": {"input": 1, "output": 1, "cache": 1}}', /GATEWAY_PRICES/],
      ['/no/such/prices.json', /GATEWAY_PRICES cannot read the file/],
    ];
    for (const [value, message] of bad) {
      expect(() => loadConfig({ GATEWAY_PRICES: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ GATEWAY_PRICES: value }), value).toThrow(message);
    }
  });
});
