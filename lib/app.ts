/**
 * The Hono app: one app for every runtime (Node, Vercel, Netlify); the entry files
 * only adapt it. Routes, middleware and the one `onError` live here.
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { createAdminConsole, type AdminConsole } from './admin/admin-app.js';
import { loadConfig, type GatewayConfig } from './config.js';
import { GatewayError, errorResponse } from './errors.js';
import { createGateway, type Gateway, type GatewayEnv, type GatewayOptions } from './gateway.js';
import { gatewayAuth } from './middleware/gateway-auth.js';
import { gatewayCors } from './middleware/cors.js';
import { guardRequest } from './middleware/guard-request.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestLog } from './middleware/request-log.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { errorShapeFor } from './request/error-shape.js';
import { budget } from './middleware/budget.js';
import { proxy } from './routes/proxy.js';
import { usage, usageElsewhere } from './routes/usage.js';
import { gatewayHeaders } from './routes/respond.js';

/**
 * Creates the gateway app.
 * @param config the checked configuration; read from `process.env` when left out
 * @param options what the host provides instead of the defaults (a clock, a log sink,
 *   whether it listens on loopback only)
 * @throws ConfigError when the environment holds a bad value
 */
export function createApp(config: GatewayConfig = loadConfig(), options: GatewayOptions = {}): Hono<GatewayEnv> {
  return createGatewayApp(config, options).app;
}

/**
 * Creates the gateway app and returns its state too, for a host that reports on it (the
 * start-up summary).
 * @throws ConfigError when the environment holds a bad value
 */
export function createGatewayApp(config: GatewayConfig, options: GatewayOptions = {}): { app: Hono<GatewayEnv>; gateway: Gateway; admin?: AdminConsole } {
  const gateway = createGateway(config, options);
  const app = new Hono<GatewayEnv>();
  // The admin console before any middleware, so that none of the proxy's runs for it.
  const admin = config.admin.enabled ? createAdminConsole(gateway) : undefined;
  if (admin && !options.adminElsewhere) app.route('/', admin.app);

  app.use(requestId());
  app.use(requestLog(gateway.logger, gateway.listeners));
  app.use(gatewayCors(config.corsOrigins));
  app.use(guardRequest());
  // On the routes rather than `app.use`, so that a path both patterns match (`/v1/v1/…`)
  // is checked and counted once: the first route answers.
  const auth = gatewayAuth(gateway.keys);
  const limit = rateLimit(gateway.limiter, gateway.logger);

  // The auth mode, never a key: a probe or an operator sees which credential rule is in force.
  app.get('/health', (c) =>
    c.json({ status: 'ok', auth: gateway.authMode(), cache: config.cache.mode, store: gateway.state.health(), responses: gateway.responses.kind, providers: [...gateway.known] }),
  );
  const { metrics } = gateway;
  if (metrics) app.get('/metrics', auth, (c) => metricsRoute(gateway, metrics, c));
  const spendCap = budget(gateway.state.spend, config.limitsOnStoreError, options.now);
  // The gateway's own usage report, before the proxy's routes: never sent to a provider.
  for (const path of ['/v1/usage', '/v1/usage/']) {
    app.get(path, auth, (c) => usage(gateway, c, options.now));
    app.all(path, auth, usageElsewhere);
  }
  app.all('/:provider/v1/usage', auth, usageElsewhere);
  app.all('/:provider/v1/usage/', auth, usageElsewhere);
  app.all('/v1/*', auth, limit, spendCap, (c) => proxy(gateway, c));
  app.all('/:provider/v1/*', auth, limit, spendCap, (c) => proxy(gateway, c, c.req.param('provider')));

  app.notFound((c) =>
    errorResponse(
      new GatewayError({ status: 404, message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, code: 'unknown_url' }),
      gatewayHeaders(c.get('meta'), c.get('requestId')),
      errorShapeFor(c.req.path),
    ),
  );
  app.onError((error, c) => {
    if (!(error instanceof GatewayError)) {
      // A bug of ours: the client gets a plain 500, the log gets what happened.
      gateway.logger.log('error', { msg: 'internal error', request_id: c.get('requestId'), error: String(error), stack: (error as Error).stack });
    }
    return errorResponse(error, gatewayHeaders(c.get('meta'), c.get('requestId')), errorShapeFor(c.req.path));
  });
  return { app, gateway, admin };
}
