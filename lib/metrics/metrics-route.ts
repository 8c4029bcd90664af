/**
 * `GET /metrics`: the gateway's metrics in Prometheus' text format, for the master key or a
 * gateway key with exactly the scope `get:/metrics` (`all` does not include it), and for this machine's own clients when
 * the gateway is loopback-only without gateway keys (or `GATEWAY_AUTH=off`, from this
 * machine). Anyone else gets an OpenAI-shaped 401; a key without the scope a 403. The
 * gateway's own path: never proxied.
 */
import type { Context } from 'hono';
import { GatewayError } from '../errors.js';
import type { Gateway, GatewayEnv } from '../gateway.js';
import { ownRouteCaller } from '../routes/own-route-caller.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/**
 * Answers a scrape; runs after `gatewayAuth`, which has set the grant of a presented key.
 * @throws GatewayError 401 without a credential where one is needed, 403 without the scope
 */
export async function metricsRoute(gateway: Gateway, metrics: GatewayMetrics, c: Context<GatewayEnv>): Promise<Response> {
  const grant = ownRouteCaller(gateway, c, 'GET /metrics', 'the master key or a gateway key with scope get:/metrics');
  if (grant !== undefined && !grant.allowsGatewayRoute('GET', '/metrics')) {
    throw new GatewayError({ status: 403, message: `Gateway key "${grant.name}" has no scope for GET /metrics (get:/metrics)`, code: 'scope_not_granted' });
  }
  const { text, contentType } = await metrics.scrape();
  return c.body(text, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
}
