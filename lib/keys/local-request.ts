/**
 * Whether a request that reached a loopback-only gateway really comes from this machine's own
 * clients, so that the gateway may lend them its provider keys (`open-loopback`) and let them
 * share the `local` tenant of stored responses. Loopback alone is not enough:
 *
 * - a web page on any site can make the user's browser send a request to 127.0.0.1 (a
 *   `text/plain` POST needs no preflight): such a request carries the page's `Origin`;
 * - a page whose DNS name rebinds to 127.0.0.1 sends its own name as `Host`;
 * - a reverse proxy on this machine that serves the network adds `Forwarded`,
 *   `X-Forwarded-For` or `X-Real-IP`.
 *
 * Any of those makes the request a stranger's: it is served as `own-keys-only` would serve it.
 *
 * @see https://developer.mozilla.org/docs/Web/Security/Practical_implementation_guides/CSRF_prevention
 */
import { isLoopbackHost } from './auth-mode.js';

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/** The host part of a `Host` header or an origin's authority: `[::1]:3000` → `::1`, `localhost:3000` → `localhost`. */
function hostOf(authority: string): string {
  const trimmed = authority.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']'));
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

/**
 * @param read reads a request header by lower-case name
 */
export function isLocalRequest(read: (name: string) => string | undefined): boolean {
  const host = read('host');
  if (host === undefined || !isLoopbackHost(hostOf(host))) return false;
  const origin = read('origin');
  if (origin !== undefined && origin !== '') {
    let originHost: string;
    try {
      originHost = new URL(origin).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return false;
    }
    if (!isLoopbackHost(originHost)) return false;
  }
  return PROXY_HEADERS.every((name) => read(name) === undefined);
}
