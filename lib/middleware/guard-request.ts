/**
 * Checks what arrives before anything else looks at it: the path as the client sent it
 * (the Node adapter normalises `..` and `%2e%2e` away before Hono sees the URL, so the raw
 * target is read where the runtime gives one) and every header value, which may not hold
 * CR, LF, NUL or another control character. Node's own parser refuses most such headers
 * (see `node/node-server.ts` for how those are answered); this catches what a lenient
 * parser (`--insecure-http-parser`) or another runtime lets through.
 */
import type { MiddlewareHandler } from 'hono';
import { badRequest } from '../errors.js';
import type { GatewayEnv } from '../gateway.js';
import { checkPath, targetPath } from '../request/raw-path.js';

// Field values may hold HTAB, SP, visible characters and obs-text (RFC 9110, 5.5).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_HEADER = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * Refuses a header list (name, value, name, value…) holding a control character.
 * @throws GatewayError 400 `invalid_header` naming the header
 */
export function checkHeaders(rawHeaders: readonly string[]): void {
  for (let index = 0; index < rawHeaders.length; index += 1) {
    if (!FORBIDDEN_IN_HEADER.test(rawHeaders[index])) continue;
    const name = rawHeaders[index - (index % 2)];
    throw badRequest(
      `Header "${name.replace(FORBIDDEN_IN_HEADER, '?')}" holds CR, LF, NUL or another control character`,
      null,
      'invalid_header',
    );
  }
}

/** The middleware: a 400 for a bad raw path or header, before any route runs. */
export function guardRequest(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const incoming = c.env?.incoming;
    checkPath(targetPath(incoming?.url ?? c.req.url));
    // Elsewhere the WHATWG `Headers` class has already refused these bytes.
    if (incoming) checkHeaders(incoming.rawHeaders);
    await next();
  };
}
