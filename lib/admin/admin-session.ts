/**
 * The console's session: a signed cookie (Hono's `setSignedCookie`, HMAC-SHA256) holding who
 * signed in (`master`, or a gateway key's id) and until when, `HttpOnly`, `SameSite=Strict`,
 * `Path=/admin`, and `Secure` when the console is reached over https. Nothing server-side is
 * kept, so every instance accepts a session another one made, provided they share the secret:
 * it is derived from `GATEWAY_ADMIN_SECRET` and `GATEWAY_MASTER_KEY`, or made at random for
 * this process when neither is set (docs/configuration.md "The admin console").
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { AdminSettings } from '../config.js';

/** The cookie's name. */
export const SESSION_COOKIE = 'gateway_admin';

/** Who a session belongs to: `master`, or a gateway key's id. */
export interface Session {
  subject: string;
  /** When it ends, in ms since the epoch. */
  expiresAt: number;
}

/**
 * The secret sessions are signed with: an HMAC of `GATEWAY_ADMIN_SECRET` and the master key
 * (never either itself, so a cookie tells nothing of them; changing either signs everyone
 * out, so a rotated master key ends the sessions the old one made), or random bytes for this
 * process when neither is set.
 */
export function sessionSecret(settings: Pick<AdminSettings, 'secret'>, masterKey: string | undefined): string {
  if (settings.secret === undefined && masterKey === undefined) return randomBytes(32).toString('hex');
  return createHmac('sha256', 'gateway-admin-session-v1')
    .update(`${settings.secret ?? ''}\u0000${masterKey ?? ''}`)
    .digest('hex');
}

/** Whether the console is reached over https (directly, through `GATEWAY_ADMIN_ORIGIN`, or a proxy that says so). */
export function isHttps(c: Context, origin: string | undefined): boolean {
  if (origin !== undefined) return origin.startsWith('https:');
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0].trim() === 'https';
}

/** Sets the session cookie for `subject`, valid `ttlSeconds`. */
export async function startSession(c: Context, secret: string, subject: string, ttlSeconds: number, secure: boolean, now = Date.now()): Promise<void> {
  const expiresAt = now + ttlSeconds * 1000;
  await setSignedCookie(c, SESSION_COOKIE, `${subject}.${expiresAt}`, secret, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: ttlSeconds,
  });
}

/** Clears the cookie. */
export function endSession(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin', httpOnly: true, sameSite: 'Strict', secure });
}

/** The request's session; undefined when it has none, a forged one or an expired one. */
export async function readSession(c: Context, secret: string, now = Date.now()): Promise<Session | undefined> {
  const value = await getSignedCookie(c, secret, SESSION_COOKIE);
  if (typeof value !== 'string') return undefined;
  const match = /^(master|key_[0-9a-f]{12})\.(\d{1,15})$/.exec(value);
  if (match === null) return undefined;
  const expiresAt = Number(match[2]);
  return expiresAt > now ? { subject: match[1], expiresAt } : undefined;
}
