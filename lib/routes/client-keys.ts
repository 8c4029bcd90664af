/**
 * Reads the keys a client sent, for the credential rules of `chain/credentials.ts`.
 */
import type { Context } from 'hono';
import { clientKeyFrom, type ClientKeys } from '../chain/credentials.js';
import type { GatewayEnv } from '../gateway.js';
import type { Gateway } from '../gateway.js';
import { isGatewayKeyShaped } from '../keys/key-secret.js';

/** The gateway's test for its master key; none when it has none. */
export function masterKeyTest(gateway: Pick<Gateway, 'keys'>): ((value: string) => boolean) | undefined {
  const { keys } = gateway;
  return keys?.hasMasterKey ? (value) => keys.isMasterKey(value) : undefined;
}

/**
 * The client's keys. With gateway keys on (a grant was found), `Authorization` and
 * `x-api-key` carry the gateway key and never count: upstream keys then come from the
 * environment or `x-<name>-api-key`. A value shaped like a gateway key (`gw-…`), or the master
 * key itself, is never taken for a provider key.
 * @param isMasterKey whether a value is the gateway's master key
 */
export function clientKeys(c: Context<GatewayEnv>, isMasterKey: (value: string) => boolean = () => false): ClientKeys {
  const gatewayKeyUsed = c.get('grant') !== undefined;
  const clientKey = gatewayKeyUsed ? undefined : clientKeyFrom(c.req.header('authorization'), c.req.header('x-api-key'));
  const forwardable = (key: string | undefined) => (key && !isGatewayKeyShaped(key) && !isMasterKey(key) ? key : undefined);
  return {
    // A gateway key sent to a gateway that has none configured is still never forwarded.
    clientKey: forwardable(clientKey),
    gatewayKeyUsed,
    providerKey: (name) => forwardable(c.req.header(`x-${name}-api-key`)?.trim()),
  };
}
