/**
 * CORS with Hono's own middleware, for `GATEWAY_CORS_ORIGINS` (a comma list, `*` by
 * default). Preflights are answered here and never reach a route, so never a provider.
 * The gateway's own response headers are exposed to browser code.
 *
 * Only a request with an `Origin` header goes through it: browsers always send one on a
 * cross-origin request, and everything else (SDKs, curl, servers) keeps the proxy's plain
 * `Response`, which Hono would otherwise copy to merge the CORS headers in.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { GatewayEnv } from '../gateway.js';

/** Response headers browser code may read. */
export const EXPOSED_HEADERS = [
  'x-request-id',
  'x-gateway-provider',
  'x-gateway-attempts',
  'x-gateway-cache',
  'x-gateway-cost-usd',
  'x-upstream-request-id',
  'retry-after',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'openai-processing-ms',
];

/** How long a browser may cache a preflight, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * The middleware.
 * @param origins allowed origins; `*` (or an empty list) allows any
 */
export function gatewayCors(origins: readonly string[]): MiddlewareHandler<GatewayEnv> {
  const handler = cors({
    origin: origins.length === 0 || origins.includes('*') ? '*' : [...origins],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
  return (c, next) => (c.req.header('origin') === undefined ? next() : handler(c, next));
}
