/**
 * Checks a resolved request against its key's grant: every entry of the chain must be
 * allowed (its route by the scopes, its provider and model by the provider list), since
 * any of them may end up answering. A refusal is a 403 naming what was not granted.
 */
import { GatewayError } from '../errors.js';
import type { ChainEntry } from '../routing/parse-chain.js';
import type { Grant } from './grant.js';

const forbidden = (message: string, code: string) => new GatewayError({ status: 403, message, code });

/**
 * @param path the path after `/v1`, without its query
 * @param bodyModel the body's `model`, used where an entry names none
 * @throws GatewayError 403 `scope_not_granted` or `provider_not_granted`
 */
export function checkAccess(grant: Grant, method: string, path: string, chain: readonly ChainEntry[], bodyModel: string | undefined): void {
  for (const entry of chain) {
    if (!grant.allowsRoute(method, path, entry.provider)) {
      throw forbidden(`Gateway key "${grant.name}" has no scope for ${method} /v1${path} on ${entry.provider}`, 'scope_not_granted');
    }
    const model = entry.model ?? bodyModel;
    if (!grant.allowsModel(entry.provider, model)) {
      const target = model === undefined ? `${entry.provider} without a model` : `${entry.provider}/${model}`;
      throw forbidden(`Gateway key "${grant.name}" may not use ${target}`, 'provider_not_granted');
    }
  }
}

/**
 * Which providers a key may list the models of.
 * @throws GatewayError 403 when an explicitly chosen provider is not one of them
 */
export function listableProviders(grant: Grant, names: readonly string[], explicit: boolean): string[] {
  const allowed = names.filter((name) => grant.reaches(name) && grant.allowsRoute('GET', '/models', name));
  const refused = names.find((name) => !allowed.includes(name));
  if ((explicit && refused !== undefined) || allowed.length === 0) {
    throw forbidden(`Gateway key "${grant.name}" may not list the models of ${refused ?? names.join(', ')}`, 'scope_not_granted');
  }
  return allowed;
}
