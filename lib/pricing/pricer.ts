/**
 * What an answer cost, in USD, from its token usage: the price table of
 * `@pydantic/genai-prices` (https://github.com/pydantic/genai-prices; cache reads and
 * writes at their own rates, tiered long-context prices, prices that changed on a date),
 * with `GATEWAY_PRICES` (see `custom-prices.ts`) before it. Reasoning tokens are output
 * tokens and cost the output price, as every listed provider bills them. A model neither
 * lists is unpriced: `null`, never $0.
 */
import { calcPrice, type ModelInfo, type ModelPrice, type Provider as PriceProvider, type Usage } from '@pydantic/genai-prices';
import { LRUCache } from 'lru-cache';
import type { TokenUsage } from '../usage/token-usage.js';
import type { CustomPrices, ModelPrices, Price } from './custom-prices.js';
import { PRICE_TABLE_PROVIDERS } from './provider-ids.js';

/** A cost rounded to 1e-10 USD, so that float noise (0.91275000000000001) stays out of logs and sums. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e10) / 1e10;

/** A cost as a header or text writes it: plain decimals, never `1e-7`. */
export const formatUsd = (usd: number): string => (usd === 0 ? '0' : usd.toFixed(10).replace(/\.?0+$/, ''));

/** Prices answers. */
export interface Pricer {
  /**
   * The cost of `usage` at `provider` for `model`, in USD; null when the model has no price.
   * @param provider the gateway's provider name (`openai`, `gemini`…)
   * @param model the model the provider was asked for
   */
  cost(provider: string, model: string | undefined, usage: TokenUsage): number | null;
}

/** Distinct provider/model pairs whose price lookup is remembered (a client may send any model string). */
const REMEMBERED = 2000;

const tablePrice = (price: Price): ModelPrice[string] => price as ModelPrice[string];

/** The table's shape for prices from `GATEWAY_PRICES`. */
function modelPrice(prices: ModelPrices): ModelPrice {
  return {
    input_mtok: tablePrice(prices.input),
    output_mtok: tablePrice(prices.output),
    ...(prices.cache_read === undefined ? {} : { cache_read_mtok: tablePrice(prices.cache_read) }),
    ...(prices.cache_write === undefined ? {} : { cache_write_mtok: tablePrice(prices.cache_write) }),
  };
}

/** A price-table provider holding one model, so that a priced answer costs one match, not a search. */
const oneModel = (id: string, model: ModelInfo): PriceProvider => ({ id, name: id, api_pattern: '.*', models: [model] });

/**
 * The price keys the fast path may meet: the four it computes, and those whose usage the
 * gateway never reports (audio, images, searches…), which cost nothing here. Any other
 * (a fee per request, a reasoning price of its own) sends the model to the table's `calcPrice`.
 */
const UNBILLED_OR_FLAT = new Set([
  'input_mtok',
  'output_mtok',
  'cache_read_mtok',
  'cache_write_mtok',
  'cache_write_1h_mtok',
  'web_searches_kcount',
  'storage_searches_kcount',
  'input_audio_mtok',
  'output_audio_mtok',
  'cache_audio_read_mtok',
  'input_image_mtok',
  'output_image_mtok',
  'cache_image_read_mtok',
  'input_video_mtok',
  'output_video_mtok',
]);

/** A model's flat prices, USD per million tokens: the common case, computed without the table's machinery. */
interface FlatPrices {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * The model's prices when they are flat numbers (no tiers, no prices that change on a date),
 * else undefined (then the table computes each cost). Cache reads and writes without a
 * price of their own cost the input price, as the table prices them.
 */
function flatPrices(model: ModelInfo): FlatPrices | undefined {
  const { prices } = model;
  if (Array.isArray(prices) || Object.keys(prices).some((key) => !UNBILLED_OR_FLAT.has(key))) return undefined;
  const { input_mtok: input, output_mtok: output, cache_read_mtok: cacheRead = input, cache_write_mtok: cacheWrite = input } = prices as ModelPrice;
  const all = [input, output, cacheRead, cacheWrite];
  return all.every((price) => typeof price === 'number') ? { input, output, cacheRead, cacheWrite } as FlatPrices : undefined;
}

/** The cost of `usage` at flat prices, in USD (what the table's `calcPrice` gives for them). */
const flatCost = (prices: FlatPrices, usage: TokenUsage): number =>
  ((usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens) * prices.input +
    usage.cache_read_tokens * prices.cacheRead +
    usage.cache_write_tokens * prices.cacheWrite +
    usage.output_tokens * prices.output) /
  1e6;

/** One provider/model's price, resolved once. */
interface Resolved {
  provider: PriceProvider;
  flat?: FlatPrices;
}

/**
 * Creates the pricer.
 * @param custom `GATEWAY_PRICES`, checked
 */
export function createPricer(custom: CustomPrices = {}): Pricer {
  // provider/model → the one-model provider that prices it, or null when nothing does.
  const resolved = new LRUCache<string, Resolved | { none: true }>({ max: REMEMBERED });
  const resolve = (provider: string, model: string): Resolved | undefined => {
    const key = `${provider}/${model}`;
    let found = resolved.get(key);
    if (found === undefined) {
      found = lookUp(provider, model, key) ?? { none: true };
      resolved.set(key, found);
    }
    return 'none' in found ? undefined : found;
  };
  const lookUp = (provider: string, model: string, key: string): Resolved | undefined => {
    const own = custom[key] ?? custom[`${provider}/*`];
    let info: ModelInfo | undefined;
    let id = `gateway:${provider}`;
    if (own) info = { id: model, match: { equals: model }, prices: modelPrice(own) };
    else {
      const providerId = PRICE_TABLE_PROVIDERS[provider];
      if (providerId === undefined) return undefined;
      const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId });
      if (!found) return undefined;
      // A match on the table's model, whatever name the request used for it.
      info = { ...found.model, match: { equals: model } };
      id = found.provider.id;
    }
    return { provider: oneModel(id, info), flat: flatPrices(info) };
  };
  return {
    cost(provider, model, usage) {
      if (model === undefined) return null;
      const priced = resolve(provider, model);
      if (priced === undefined) return null;
      if (priced.flat && usage.cache_read_tokens + usage.cache_write_tokens <= usage.input_tokens) return roundUsd(flatCost(priced.flat, usage));
      const counts: Usage = {
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cache_read_tokens: usage.cache_read_tokens,
        cache_write_tokens: usage.cache_write_tokens,
      };
      try {
        const total = calcPrice(counts, model, { provider: priced.provider })?.total_price;
        return total === undefined ? null : roundUsd(total);
      } catch {
        // Counts the table cannot take (cache counts above the input, from a provider's bad usage): unpriced.
        return null;
      }
    },
  };
}
