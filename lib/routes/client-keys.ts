/**
 * Reads the keys a client sent, for the credential rules of `chain/credentials.ts`.
 */
import type { Context } from 'hono';
import { clientKeyFrom, type ClientKeys } from '../chain/credentials.js';
import type { GatewayEnv } from '../gateway.js';
import { isGatewayKeyShaped } from '../keys/key-secret.js';

/**
 * The client's keys. With gateway keys on (a grant was found), `Authorization` and
 * `x-api-key` carry the gateway key and never count: upstream keys then come from the
 * environment or `x-<name>-api-key`. A value shaped like a gateway key (`gw-…`) is never
 * taken for a provider key.
 */
export function clientKeys(c: Context<GatewayEnv>): ClientKeys {
  const gatewayKeyUsed = c.get('grant') !== undefined;
  const clientKey = gatewayKeyUsed ? undefined : clientKeyFrom(c.req.header('authorization'), c.req.header('x-api-key'));
  return {
    // A gateway key sent to a gateway that has none configured is still never forwarded.
    clientKey: clientKey === undefined || isGatewayKeyShaped(clientKey) ? undefined : clientKey,
    gatewayKeyUsed,
    providerKey: (name) => {
      const key = c.req.header(`x-${name}-api-key`)?.trim();
      return key && !isGatewayKeyShaped(key) ? key : undefined;
    },
  };
}
