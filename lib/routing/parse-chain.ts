/**
 * Parses `x-provider: openai, groq/llama-3.1-8b-instant, anthropic` into chain entries.
 */
import { badRequest } from '../errors.js';

/** One entry of a provider chain: a provider, and the model it must use when named. */
export interface ChainEntry {
  /** A known provider name, lower-case. */
  provider: string;
  /** Replaces the body's `model` for this provider when set. */
  model?: string;
  /**
   * True when the provider was not named by the client (path or `x-provider`) but read from a
   * `provider/model` model: the client's own `Authorization` key is then not sent to it, since
   * the client may have meant that key for the default provider.
   */
  fromModel?: true;
}

/** The most entries a chain may hold. */
export const MAX_CHAIN_ENTRIES = 10;

/** A 400 naming the unknown provider and listing the known ones. */
export function unknownProvider(name: string, known: Iterable<string>) {
  return badRequest(
    `Unknown provider "${name}". Known providers: ${[...known].join(', ')}`,
    null,
    'unknown_provider',
  );
}

/**
 * Splits one entry at its first `/`: `name` or `name/model`, where the model may hold
 * more slashes and colons (`openrouter/meta-llama/llama-3.1-8b:free`).
 */
export function parseChainEntry(text: string): { provider: string; model?: string } {
  const slash = text.indexOf('/');
  if (slash === -1) return { provider: text.trim().toLowerCase() };
  return { provider: text.slice(0, slash).trim().toLowerCase(), model: text.slice(slash + 1).trim() };
}

/**
 * Parses an `x-provider` header value.
 * @param value the header, a comma-separated list of `name` or `name/model`
 * @param known the configured provider names
 * @throws GatewayError 400 for an empty entry or model, more than {@link MAX_CHAIN_ENTRIES}
 *   entries, or an unknown provider (listing the known ones)
 */
export function parseProviderHeader(value: string, known: ReadonlySet<string>): ChainEntry[] {
  const parts = value.split(',');
  if (parts.length > MAX_CHAIN_ENTRIES) {
    throw badRequest(`x-provider names ${parts.length} providers; a chain holds at most ${MAX_CHAIN_ENTRIES}`, null, 'chain_too_long');
  }
  return parts.map((part) => {
    const entry = parseChainEntry(part);
    if (entry.provider === '') throw badRequest(`x-provider has an empty entry: "${value}"`, null, 'invalid_provider');
    if (!known.has(entry.provider)) throw unknownProvider(entry.provider, known);
    if (entry.model === '') throw badRequest(`x-provider entry "${part.trim()}" names no model after "/"`, null, 'invalid_provider');
    return entry.model === undefined ? { provider: entry.provider } : entry;
  });
}
