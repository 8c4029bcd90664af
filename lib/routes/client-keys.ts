/**
 * Reads the keys a client sent, for the credential rules of `chain/credentials.ts`.
 */
import type { Context } from 'hono';
import { clientKeyFrom, type ClientKeys } from '../chain/credentials.js';

/** The client's keys; `Authorization` counts only when it is not the gateway's own key. */
export function clientKeys(c: Context, authorizationIsGatewayKey = false): ClientKeys {
  return {
    clientKey: authorizationIsGatewayKey ? undefined : clientKeyFrom(c.req.header('authorization'), c.req.header('x-api-key')),
    providerKey: (name) => c.req.header(`x-${name}-api-key`)?.trim() || undefined,
  };
}
