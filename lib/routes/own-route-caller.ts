/**
 * Who may call one of the gateway's own routes (`GET /metrics`, `GET /v1/usage`), which are
 * never sent to a provider: a presented gateway key (its grant, for the route to check its
 * scope), or, with none, this machine's own client where the gateway lets those in without
 * keys (loopback-only without gateway keys, or `GATEWAY_AUTH=off`). Anyone else: a 401.
 */
import type { Context } from 'hono';
import { GatewayError } from '../errors.js';
import type { Gateway, GatewayEnv } from '../gateway.js';
import type { Grant } from '../keys/grant.js';

/**
 * The caller's grant, or undefined for this machine's own client.
 * @param route the route as the 401 names it (`GET /metrics`)
 * @param needs what the 401 says the route needs (`the master key or a gateway key with scope get:/metrics`)
 * @throws GatewayError 401 `missing_api_key` without a credential where one is needed
 */
export function ownRouteCaller(gateway: Gateway, c: Context<GatewayEnv>, route: string, needs: string): Grant | undefined {
  const grant = c.get('grant');
  if (grant !== undefined || gateway.isLocalClient((name) => c.req.header(name))) return grant;
  throw new GatewayError({ status: 401, message: `${route} needs ${needs}: send Authorization: Bearer …`, code: 'missing_api_key', headers: { 'www-authenticate': 'Bearer' } });
}
