/**
 * Chooses the upstream key for each provider of a chain, first found wins:
 * `x-<name>-api-key`; the client's `Authorization: Bearer` / `x-api-key` for the first
 * provider of the chain only; then `<NAME>_API_KEY`, whose comma-separated keys rotate
 * round-robin, one starting key per request. A key is never sent to a provider it was
 * not meant for.
 */
import type { ProviderConfig } from '../providers/types.js';

/** The keys a client sent, read once per request. */
export interface ClientKeys {
  /** `Authorization: Bearer …` or `x-api-key`, usable only for the chain's first provider. */
  clientKey?: string;
  /** True when `Authorization` carries a gateway key (never a provider's). */
  gatewayKeyUsed?: boolean;
  /** Reads `x-<name>-api-key`. */
  providerKey(name: string): string | undefined;
}

/** Reads the client's key from `Authorization: Bearer …`, else `x-api-key`. */
export function clientKeyFrom(authorization: string | undefined, xApiKey: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const match = /^bearer\s+(\S.*)$/i.exec(authorization.trim());
    if (match) return match[1].trim();
  }
  const key = xApiKey?.trim();
  return key ? key : undefined;
}

/**
 * Where a provider's key comes from: the client's `x-<name>-api-key` (`header`), the
 * client's `Authorization` / `x-api-key` (`client`), the gateway's own `<NAME>_API_KEY`
 * (`environment`), or nowhere (`none`).
 */
export type CredentialSource = 'header' | 'client' | 'environment' | 'none';

/**
 * Which key source {@link keysFor} would use for a provider, without advancing the rotation.
 * @param firstProvider the name of the chain's first provider
 */
export function credentialSource(config: ProviderConfig, firstProvider: string, client: ClientKeys): CredentialSource {
  if (client.providerKey(config.name)) return 'header';
  if (config.name === firstProvider && client.clientKey) return 'client';
  return config.apiKeys.length > 0 ? 'environment' : 'none';
}

/** Where each provider's round-robin stands: provider name → index of the next starting key. */
export type KeyRotation = Map<string, number>;

/**
 * The keys to try for one provider, in order. A client-supplied key is the only one;
 * environment keys come rotated so that each request starts one further along, and a
 * 401 or 429 may move on to the next (each at most once per request).
 * @param firstProvider the name of the chain's first provider, the only one the client's
 *   own `Authorization` / `x-api-key` may go to
 * @param rotation the gateway's round-robin state, advanced by one per call
 */
export function keysFor(config: ProviderConfig, firstProvider: string, client: ClientKeys, rotation: KeyRotation): string[] {
  const header = client.providerKey(config.name);
  if (header) return [header];
  if (config.name === firstProvider && client.clientKey) return [client.clientKey];
  const keys = config.apiKeys;
  if (keys.length <= 1) return keys;
  const start = rotation.get(config.name) ?? 0;
  rotation.set(config.name, (start + 1) % keys.length);
  return [...keys.slice(start), ...keys.slice(0, start)];
}
