/**
 * The admin console (`/admin`): a Hono app of its own, mounted on the gateway's app with one
 * line (`app.ts`), or served on `GATEWAY_ADMIN_PORT` by `npm start`. It is mounted before the
 * proxy's middleware, so none of that runs for it, and its only work on the proxy's path is
 * the recent-requests listener (`recent-requests.ts`, O(1) per request).
 *
 * Sign-in takes the master key or an `admin` key (form, rate-limited per client address in
 * the state store, a wrong key answered after {@link SIGN_IN_FAILURE_DELAY_MS}); the session is
 * a signed cookie (`admin-session.ts`); the guards are in `admin-guard.ts`.
 */
import { Hono } from 'hono';
import { StoreUnavailableError } from '../store/store-unavailable.js';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { errorResponse, GatewayError } from '../errors.js';
import type { Gateway } from '../gateway.js';
import { addAdminApi } from './admin-api.js';
import { adminSecureHeaders, clientAddress, formCsrf, guardRawRequest, noStore, requireOperator, type AdminEnv } from './admin-guard.js';
import { AdminIdentities } from './admin-identity.js';
import { addAdminPages } from './admin-pages.js';
import { endSession, isHttps, readSession, sessionSecret, startSession } from './admin-session.js';
import { ASSETS } from './assets.generated.js';
import { KeyAdmin } from './key-admin.js';
import { RecentRequests } from './recent-requests.js';
import { spendUsageSource, type UsageSource } from './usage-source.js';
import { bare } from './views/layout.js';
import { signInPage } from './views/sign-in-page.js';

/** How long a wrong key waits for its answer, in ms: guessing stays slow even under the rate limit. */
export const SIGN_IN_FAILURE_DELAY_MS = 1000;

/** The console and what it keeps. */
export interface AdminConsole {
  /** Routes under `/admin`; mount with `app.route('/', console.app)`. */
  app: Hono<AdminEnv>;
  recent: RecentRequests;
  usage: UsageSource;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Builds the console for a gateway and adds its listener to `gateway.listeners`.
 * @param usage where spend comes from; the gateway's spend store by default (see `usage-source.ts`)
 */
export function createAdminConsole(gateway: Gateway, options: { usage?: UsageSource } = {}): AdminConsole {
  const settings = gateway.config.admin;
  const recent = new RecentRequests();
  gateway.listeners.push(recent.listener);
  const usage = options.usage ?? spendUsageSource(gateway.state.spend, gateway.config.redis !== undefined);
  const keys = new KeyAdmin(gateway, usage, recent);
  const identities = new AdminIdentities(gateway, keys.records);
  const secret = sessionSecret(settings, gateway.config.masterKey);
  const parts = { gateway, recent, usage, keys, identities };

  const app = new Hono<AdminEnv>().basePath('/admin');
  app.use(guardRawRequest);
  app.use(adminSecureHeaders());
  app.use(noStore);

  app.get('/assets/:file', (c) => {
    const asset = ASSETS[c.req.param('file')];
    if (asset === undefined) return c.text('Not found', 404);
    // The name holds a hash of the content: it never changes under the same name.
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' });
  });

  app.use(formCsrf(settings.origin));

  app.get('/sign-in', async (c) => {
    if ((await readSession(c, secret)) !== undefined && c.req.query('ended') === undefined) return c.redirect('/admin', 303);
    const message = c.req.query('ended') !== undefined ? 'Your session ended; sign in again.' : undefined;
    return c.html(signInPage({ message, canSignIn: identities.canSignIn }));
  });
  app.post('/sign-in', async (c) => {
    const admission = await gateway.limiter.admit(`admin-sign-in:${clientAddress(c)}`, { rpm: settings.signInRpm });
    if (!admission.allowed) {
      c.header('retry-after', String(admission.retryAfterS));
      return c.html(signInPage({ message: `Too many sign-in attempts; try again in ${admission.retryAfterS} s.`, canSignIn: identities.canSignIn }), 429);
    }
    const body = await c.req.parseBody();
    const presented = typeof body.key === 'string' ? body.key.trim() : '';
    const operator = presented === '' ? undefined : identities.fromKey(presented);
    if (operator === undefined) {
      await sleep(SIGN_IN_FAILURE_DELAY_MS);
      gateway.logger.log('warn', { msg: 'admin sign-in refused', client: clientAddress(c) });
      return c.html(signInPage({ message: 'That is not the master key or a key with the admin scope.', canSignIn: identities.canSignIn }), 401);
    }
    await startSession(c, secret, operator.subject, settings.sessionTtlSeconds, isHttps(c, settings.origin));
    gateway.logger.log('info', { msg: 'admin signed in', operator: operator.name });
    return c.redirect('/admin', 303);
  });
  app.post('/sign-out', (c) => {
    endSession(c, isHttps(c, settings.origin));
    return c.redirect('/admin/sign-in', 303);
  });

  app.use(requireOperator(identities, secret, settings.origin));
  addAdminApi(app, parts);
  addAdminPages(app, parts);
  app.all('*', (c) => {
    if (c.req.path.startsWith('/admin/api/')) return errorResponse(new GatewayError({ status: 404, message: `No admin route for ${c.req.method} ${c.req.path}`, code: 'unknown_url' }));
    return c.html(bare('Not found', html`<h1>Not found</h1><p><a href="/admin">Back to the console</a></p>`), 404);
  });

  app.onError((caught, c) => {
    // The shared store down (Redis): a 503 that says so, not a 500 (the proxy serves on without it).
    const error =
      caught instanceof StoreUnavailableError
        ? new GatewayError({ status: 503, message: 'The shared store (Redis) is not answering; spend and keys cannot be read now. Try again shortly.', code: 'store_unavailable', type: 'api_error', headers: { 'retry-after': '5' } })
        : caught;
    const status = error instanceof HTTPException ? error.status : error instanceof GatewayError ? error.status : 500;
    if (status === 500) gateway.logger.log('error', { msg: 'admin console error', path: c.req.path, error: String(error), stack: (error as Error).stack });
    const gatewayError =
      error instanceof GatewayError
        ? error
        : error instanceof HTTPException
          ? new GatewayError({ status, message: status === 403 ? 'Cross-site request refused: a change must come from the console itself' : error.message, code: status === 403 ? 'cross_site_refused' : null })
          : error;
    if (c.req.path.startsWith('/admin/api/') || status === 401) return errorResponse(gatewayError);
    const message = gatewayError instanceof GatewayError ? gatewayError.message : 'Internal error; see the gateway log';
    return c.html(bare('Error', html`<h1>${status === 403 ? 'Refused' : 'Error'}</h1><p class="notice error">${message}</p><p><a href="/admin">Back to the console</a></p>`), status as 400);
  });
  return { app, recent, usage };
}
