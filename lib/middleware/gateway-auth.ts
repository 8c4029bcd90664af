/**
 * Gateway keys: when they are on, every `/v1` request carries one as
 * `Authorization: Bearer gw-…` (or `x-api-key`), checked against the key store. No key,
 * an unknown one or a revoked one: 401. A known key's grant goes into `c.var.grant` (its
 * scopes are checked once the chain is known, see `keys/check-access.ts`) and its name
 * into the request's log line. The key itself is never forwarded, logged or echoed.
 *
 * While a shared store's keys were never read (its Redis unreachable since a cold start), a
 * gateway key that no other source knows is a 503 `key_store_unavailable` (try again), never
 * a 401 (it may be valid) and never let through.
 */
import type { MiddlewareHandler } from 'hono';
import { clientKeyFrom } from '../chain/credentials.js';
import { GatewayError } from '../errors.js';
import type { GatewayEnv } from '../gateway.js';
import { isGatewayKeyShaped } from '../keys/key-secret.js';
import { KEY_UNKNOWN_YET, type KeyStore } from '../keys/key-store.js';

const unauthorized = (message: string, code: string) =>
  new GatewayError({ status: 401, message, code, headers: { 'www-authenticate': 'Bearer' } });

/** A gateway key that may exist in a shared store that could not be read yet: try again, not "invalid". */
const unknownYet = () =>
  new GatewayError({
    status: 503,
    message: 'The gateway keys cannot be read right now (the shared store is unavailable); this key cannot be checked yet. Try again shortly.',
    code: 'key_store_unavailable',
    headers: { 'retry-after': '1' },
  });

/**
 * The middleware; it lets everything through while gateway keys are off (the proxy then
 * decides by the auth mode whether the gateway's own provider keys may be used).
 * @param store the key store, undefined with `GATEWAY_AUTH=off`
 */
export function gatewayAuth(store: KeyStore | undefined): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (store === undefined || (!store.enabled && !store.pending)) return next();
    const presented = clientKeyFrom(c.req.header('authorization'), c.req.header('x-api-key'));
    // A key that only a shared store not read yet may know: wait for that store (a cold
    // start, bounded by its connect timeout); every other request goes on at once.
    const mayBeShared = (key: string) => (store.enabled ? store.authenticate(key) === KEY_UNKNOWN_YET : isGatewayKeyShaped(key));
    if (store.pending && presented !== undefined && mayBeShared(presented)) await store.ready();
    if (!store.enabled) {
      if (store.pending && presented !== undefined && isGatewayKeyShaped(presented)) throw unknownYet();
      return next();
    }
    if (presented === undefined) {
      throw unauthorized(
        'This gateway needs a gateway key: send Authorization: Bearer gw-… (or x-api-key). The operator makes one with `npm run keys -- create NAME`.',
        'missing_api_key',
      );
    }
    const lookup = store.authenticate(presented);
    if (lookup === KEY_UNKNOWN_YET) throw unknownYet();
    if (lookup === undefined) throw unauthorized('Invalid gateway key', 'invalid_api_key');
    if (lookup.revoked) throw unauthorized('This gateway key has been revoked', 'revoked_api_key');
    const { expiresAt } = lookup.grant;
    if (expiresAt !== undefined && Date.now() >= expiresAt) {
      throw unauthorized(`This gateway key expired at ${new Date(expiresAt).toISOString()}`, 'expired_api_key');
    }
    c.set('grant', lookup.grant);
    c.get('meta').key = lookup.grant.name;
    return next();
  };
}
