/**
 * The console's protections, each a Hono middleware: strict security headers and a content
 * security policy (`hono/secure-headers`: scripts and styles from this origin only, no inline
 * script or style, no framing, no referrer to other sites), `Cache-Control: no-store` on everything but the
 * fingerprinted assets, cross-site checks on every change (`hono/csrf` for forms, and for the
 * JSON API when the session cookie rather than a bearer key authenticates it: a same-origin
 * `Origin` or `Sec-Fetch-Site`), and the operator check: a session cookie, or the master key
 * or an `admin` key as `Authorization: Bearer` (for scripts).
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { clientKeyFrom } from '../chain/credentials.js';
import { errorResponse, GatewayError } from '../errors.js';
import type { NodeBindings } from '../gateway.js';
import { checkHeaders } from '../middleware/guard-request.js';
import { checkPath, targetPath } from '../request/raw-path.js';
import type { AdminIdentities, AdminIdentity } from './admin-identity.js';
import { readSession } from './admin-session.js';

/** The console's Hono environment. */
export type AdminEnv = {
  Bindings: NodeBindings;
  Variables: { operator: AdminIdentity; via: 'session' | 'bearer' };
};

/**
 * The proxy's first check, for the console too (it is mounted before the proxy's middleware):
 * the path as the client sent it (`/v1/../admin` is a 400, never the console, though the Node
 * adapter normalises it to `/admin`) and every header value. Answered in the gateway's JSON
 * error shape, as the proxy answers it.
 */
export const guardRawRequest: MiddlewareHandler<AdminEnv> = async (c, next) => {
  try {
    const incoming = c.env?.incoming;
    checkPath(targetPath(incoming?.url ?? c.req.url));
    if (incoming) checkHeaders(incoming.rawHeaders);
  } catch (error) {
    return errorResponse(error, { 'x-request-id': randomUUID() });
  }
  await next();
};

/** The headers on every answer of the console. */
export function adminSecureHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
}

/** `no-store` unless the answer set its own caching (the assets). */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
};

/** The origin a change must come from: `GATEWAY_ADMIN_ORIGIN`, or the request's own. */
const allowedOrigin = (c: Context, configured: string | undefined) => configured ?? new URL(c.req.url).origin;

/**
 * Whether a browser says the request comes from the console's own origin: its `Origin`, or
 * its `Sec-Fetch-Site` (a header no page can set), as `hono/csrf` decides.
 */
export function isSameOrigin(c: Context, configured: string | undefined): boolean {
  return c.req.header('origin') === allowedOrigin(c, configured) || c.req.header('sec-fetch-site') === 'same-origin';
}

/**
 * Hono's CSRF check for form posts (sign-in and sign-out included). A request with an
 * `Authorization` header is a script's, never a cross-site form's (a page on another site
 * cannot add one without a CORS preflight the console never grants): it is checked by its key.
 */
export function formCsrf(configured: string | undefined): MiddlewareHandler {
  const check = csrf({ origin: (origin, c) => origin === allowedOrigin(c, configured), secFetchSite: 'same-origin' });
  return (c, next) => (c.req.header('authorization') === undefined ? check(c, next) : next());
}

const SAFE = /^(GET|HEAD|OPTIONS)$/;

/** A 401 in the gateway's error shape. */
export const notSignedIn = () =>
  new GatewayError({
    status: 401,
    message: 'Sign in to the admin console first, or send the master key or a key with the admin scope as Authorization: Bearer',
    code: 'admin_unauthorized',
    headers: { 'www-authenticate': 'Bearer' },
  });

/**
 * Lets an operator through: a bearer key (master or `admin` scope) or a session, and for a
 * change with a session, only from the console's own origin. Pages without one redirect to
 * the sign-in page; the API answers 401 JSON (403 for a cross-site change).
 */
export function requireOperator(identities: AdminIdentities, secret: string, configuredOrigin: string | undefined): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const isApi = c.req.path.startsWith('/admin/api/');
    const presented = clientKeyFrom(c.req.header('authorization'), undefined);
    if (presented !== undefined) {
      const operator = identities.fromKey(presented);
      if (operator === undefined) throw notSignedIn();
      c.set('operator', operator);
      c.set('via', 'bearer');
      return next();
    }
    const session = await readSession(c, secret);
    const operator = session === undefined ? undefined : await identities.fromSubject(session.subject);
    if (operator === undefined) {
      if (isApi) throw notSignedIn();
      return c.redirect(`/admin/sign-in${session === undefined && c.req.header('cookie')?.includes('gateway_admin=') ? '?ended=1' : ''}`, 303);
    }
    if (!SAFE.test(c.req.method) && !isSameOrigin(c, configuredOrigin)) {
      throw new GatewayError({ status: 403, message: 'Cross-site request refused: a change must come from the console itself', code: 'cross_site_refused' });
    }
    c.set('operator', operator);
    c.set('via', 'session');
    return next();
  };
}

/** Where a sign-in attempt comes from, for its rate limit: the socket's address on Node, the platform's header elsewhere. */
export function clientAddress(c: Context<AdminEnv>): string {
  const incoming = c.env?.incoming as { socket?: { remoteAddress?: string } } | undefined;
  const socket = incoming?.socket?.remoteAddress;
  if (socket) return socket;
  const forwarded = c.req.header('x-nf-client-connection-ip') ?? c.req.header('x-real-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0];
  return forwarded?.trim() || 'unknown';
}
