/**
 * Decides which providers a request goes to, in the order docs/api.md "Choosing providers"
 * gives: the `/{provider}/v1` path, the `x-provider` header, a `provider/model` model,
 * then `DEFAULT_PROVIDER`.
 */
import { parseChainEntry, parseProviderHeader, unknownProvider, type ChainEntry } from './parse-chain.js';

/** What the chain is chosen from. */
export interface ChainSources {
  /** The provider named by a `/{provider}/v1/*` path. */
  pathProvider?: string;
  /** The `x-provider` header. */
  header?: string;
  /** The body's `model`, when it is a string. */
  model?: string;
  defaultProvider: string;
  known: ReadonlySet<string>;
  /**
   * True when the default provider's own model ids start with a vendor (`openai/gpt-4o` at
   * OpenRouter: `<NAME>_MODEL_IDS=prefixed`): a `provider/model` model is then its model, not a route.
   */
  defaultOwnsPrefixedModels?: boolean;
}

/**
 * Resolves the chain for one request.
 * @throws GatewayError 400 as {@link parseProviderHeader} does, or for an unknown path provider
 */
export function resolveChain(sources: ChainSources): ChainEntry[] {
  const { known } = sources;
  if (sources.pathProvider !== undefined) {
    const provider = sources.pathProvider.toLowerCase();
    if (!known.has(provider)) throw unknownProvider(provider, known);
    return [{ provider }];
  }
  const header = sources.header?.trim();
  if (header) return parseProviderHeader(header, known);
  if (sources.model !== undefined && sources.model.includes('/') && !sources.defaultOwnsPrefixedModels) {
    const entry = parseChainEntry(sources.model);
    // Only a known prefix routes: `meta-llama/llama-3.1-8b` is a model name, not a provider.
    if (known.has(entry.provider) && entry.model) return [{ provider: entry.provider, model: entry.model, fromModel: true }];
  }
  return [{ provider: sources.defaultProvider }];
}
