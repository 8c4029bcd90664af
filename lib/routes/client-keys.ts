/**
 * Reads the keys a client sent, for the credential rules of `chain/credentials.ts`.
 */
import type { Context } from 'hono';
import { clientKeyFrom, type ClientKeys } from '../chain/credentials.js';
import type { GatewayEnv } from '../gateway.js';

/**
 * The client's keys. With gateway keys on (a grant was found), `Authorization` and
 * `x-api-key` carry the gateway key and never count: upstream keys then come from the
 * environment or `x-<name>-api-key`.
 */
export function clientKeys(c: Context<GatewayEnv>): ClientKeys {
  const gatewayKeyUsed = c.get('grant') !== undefined;
  return {
    clientKey: gatewayKeyUsed ? undefined : clientKeyFrom(c.req.header('authorization'), c.req.header('x-api-key')),
    providerKey: (name) => c.req.header(`x-${name}-api-key`)?.trim() || undefined,
  };
}
