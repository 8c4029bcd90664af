/**
 * Whether a chain entry has a key it may use, and the 401 for a request none of whose
 * entries has one. A provider that needs a key and has none is never called keyless (its
 * upstream 401 would look like the gateway's own), and on a gateway that is reachable
 * beyond loopback with no gateway keys, a request without a gateway key may not spend the
 * gateway's own `<NAME>_API_KEY` (docs/api.md "Credentials").
 */
import { envPrefix } from '../config.js';
import { GatewayError } from '../errors.js';
import type { ProviderConfig } from '../providers/types.js';
import type { CredentialSource } from './credentials.js';

/**
 * Why an entry is skipped: it could only use the gateway's own key, which this request may
 * not spend (`gateway_key_required`), or there is no key for it at all (`missing_provider_key`).
 */
export type SkipReason = 'gateway_key_required' | 'missing_provider_key';

/**
 * @param environmentKeys whether this request may use the gateway's own `<NAME>_API_KEY`
 * @returns the reason the entry cannot be tried, or undefined when it can
 */
export function skipReason(config: ProviderConfig, source: CredentialSource, environmentKeys: boolean): SkipReason | undefined {
  if (source === 'environment' && !environmentKeys) return 'gateway_key_required';
  if (source === 'none' && !config.keyOptional) return 'missing_provider_key';
  return undefined;
}

/** One skipped entry, as the error lists it. */
export interface SkippedEntry {
  provider: string;
  model?: string;
  skipped: SkipReason;
}

/** How a client sends its own key for `provider`. */
function ownKeyHint(provider: string, first: boolean): string {
  return first ? `Authorization: Bearer <key> or x-${provider}-api-key` : `x-${provider}-api-key`;
}

function why(entry: SkippedEntry, firstProvider: string): string {
  const variable = `${envPrefix(entry.provider)}_API_KEY`;
  const own = ownKeyHint(entry.provider, entry.provider === firstProvider);
  return entry.skipped === 'gateway_key_required'
    ? `${entry.provider} needs a gateway key to use the gateway's ${variable}, or your own key (${own})`
    : `${entry.provider} has no key: send yours (${own}) or set ${variable} on the gateway`;
}

/**
 * The 401 for a request whose every chain entry was skipped: `gateway_key_required` when any
 * entry needed a gateway key, else `missing_provider_key`; the message says what to send and
 * how to get it, and `attempts` lists each skipped entry.
 * @param firstProvider the provider the client's `Authorization` may go to (the chain's first, when
 *   the client named it and `Authorization` is not a gateway key); `''` for none
 */
export function noUsableKey(skipped: readonly SkippedEntry[], firstProvider: string): GatewayError {
  const gatewayKey = skipped.some((entry) => entry.skipped === 'gateway_key_required');
  const lead = gatewayKey
    ? 'This gateway lends its own provider keys only to holders of a gateway key, or, when it listens on loopback only, to ' +
      "this machine's own clients (not to a web page from another site, a foreign Host or a proxied request). " +
      'Send a gateway key as Authorization: Bearer gw-… (the operator makes one with `npm run keys -- create NAME`, ' +
      'or sets GATEWAY_MASTER_KEY or GATEWAY_KEYS), or bring your own provider key.'
    : 'No provider key for this request.';
  return new GatewayError({
    status: 401,
    message: `${lead} ${skipped.map((entry) => why(entry, firstProvider)).join('; ')}.`,
    code: gatewayKey ? 'gateway_key_required' : 'missing_provider_key',
    extra: { attempts: skipped.map((entry) => ({ ...entry, duration_ms: 0 })) },
    headers: { 'www-authenticate': 'Bearer' },
  });
}
