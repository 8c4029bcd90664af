/**
 * `GATEWAY_PRICES`: prices for models the price table does not list (a custom provider, a
 * fine-tune, Ollama) and overrides of those it does (a negotiated rate). A JSON object, given
 * inline or as the path of a JSON file, keyed `provider/model` (the model may hold slashes:
 * `openrouter/openai/gpt-4o`), or `provider/*` for every model of a provider. Each price is
 * in USD per million tokens, a number or the table's tiered shape
 * `{"base": 1.25, "tiers": [{"start": 200000, "price": 2.5}]}` (every token at the tier's
 * price once the request's input reaches `start` tokens):
 *
 * ```json
 * {"ollama/*": {"input": 0, "output": 0},
 *  "openai/ft:gpt-4o-mini:acme": {"input": 0.3, "output": 1.2, "cache_read": 0.15}}
 * ```
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const usd = z.number().finite().nonnegative();
const TieredSchema = z.strictObject({
  base: usd,
  tiers: z.array(z.strictObject({ start: z.number().int().positive(), price: usd })).min(1),
});
const PriceSchema = z.union([usd, TieredSchema], { error: 'must be USD per million tokens: a number ≥ 0, or {"base": …, "tiers": [{"start": tokens, "price": …}]}' });

/** One model's prices, in USD per million tokens. */
export const ModelPricesSchema = z.strictObject({
  input: PriceSchema,
  output: PriceSchema,
  /** Cache reads; the input price when absent. */
  cache_read: PriceSchema.optional(),
  /** Cache writes; the input price when absent. */
  cache_write: PriceSchema.optional(),
});
export type ModelPrices = z.infer<typeof ModelPricesSchema>;
/** A price: USD per million tokens, flat or tiered by the request's input tokens. */
export type Price = z.infer<typeof PriceSchema>;

const PricesSchema = z.record(z.string(), ModelPricesSchema);
/** A `provider/model` or `provider/*` key. */
const KEY = /^[a-z0-9][a-z0-9_-]*\/.+$/;

/** `GATEWAY_PRICES` checked: `provider/model` (or `provider/*`) → its prices. */
export type CustomPrices = Readonly<Record<string, ModelPrices>>;

/**
 * Reads `GATEWAY_PRICES`: inline JSON when it starts with `{`, else a JSON file's path.
 * @returns an empty table when unset
 * @throws Error with a message naming what is wrong (the config turns it into a ConfigError)
 */
export function parseCustomPrices(value: string | undefined): CustomPrices {
  if (value === undefined || value === '') return {};
  let text = value;
  if (!value.startsWith('{')) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the file ${value} (${(error as NodeJS.ErrnoException).code ?? String(error)}); give inline JSON or a JSON file's path`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`is not JSON: ${(error as Error).message}`);
  }
  const badKey = json !== null && typeof json === 'object' ? Object.keys(json).find((key) => !KEY.test(key)) : undefined;
  if (badKey !== undefined) throw new Error(`"${badKey}": keys must be provider/model or provider/* (a provider's name in lower case)`);
  const parsed = PricesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
    throw new Error(`${where}${issue.message}`);
  }
  return parsed.data;
}
