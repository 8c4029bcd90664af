/**
 * Enforces the rate limits of the request's gateway key (set by `gateway-auth.ts`). The
 * route admits the request through `c.var.admit()` once the key's scopes have been checked,
 * so that a request refused for its scope (403) never uses up one of the key's requests (a
 * request refused for its key, 401, never gets this far). Over a limit: a 429 with
 * `Retry-After`; the shared store unreachable under `GATEWAY_LIMITS_ON_STORE_ERROR=closed`:
 * a 503. The key's `x-ratelimit-*` headers go on every answer to it, read without counting
 * when the answer came before the admission. The answer's tokens are charged once it is
 * complete (for a stream, when it ended).
 */
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../errors.js';
import type { GatewayEnv } from '../gateway.js';
import type { Grant } from '../keys/grant.js';
import type { Admission, RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import { StoreUnavailableError } from '../store/store-unavailable.js';
import { totalTokens } from '../usage/read-usage.js';

function refusal(grant: Grant, admission: Admission): GatewayError {
  if (admission.exceeded === 'store') {
    return new GatewayError({
      status: 503,
      message: `The rate limits of gateway key "${grant.name}" cannot be checked right now (the shared store is unavailable). Try again shortly.`,
      code: 'rate_limit_store_unavailable',
      headers: { 'retry-after': String(admission.retryAfterS) },
    });
  }
  const limit = admission.exceeded === 'tokens' ? `${grant.tpm} tokens` : `${grant.rpm} requests`;
  return new GatewayError({
    status: 429,
    message: `Rate limit reached for gateway key "${grant.name}": ${limit} per minute. Try again in ${admission.retryAfterS} s.`,
    code: 'rate_limit_exceeded',
    headers: { 'retry-after': String(admission.retryAfterS) },
  });
}

/** The middleware; keys without limits pass untouched. */
export function rateLimit(limiter: RateLimiter, logger: Logger): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const grant = c.get('grant');
    if (grant === undefined || (grant.rpm === undefined && grant.tpm === undefined)) return next();
    const meta = c.get('meta');
    let admitted = false;
    c.set('admit', async () => {
      if (admitted) return;
      admitted = true;
      const admission = await limiter.admit(grant.id, grant);
      Object.assign(meta.headers, admission.headers);
      if (!admission.allowed) throw refusal(grant, admission);
    });
    await next();
    if (!admitted) {
      const read = await limiter.admit(grant.id, grant, false);
      for (const [name, value] of Object.entries(read.headers)) c.res.headers.set(name, value);
      return;
    }
    if (grant.tpm === undefined) return;
    const charge = async () => {
      await meta.ended;
      if (meta.usage) await limiter.charge(grant.id, totalTokens(meta.usage), grant);
    };
    charge().catch((error: unknown) => {
      // A store fault is logged once, when the store's state changes, not per request.
      if (error instanceof StoreUnavailableError) return;
      logger.log('warn', { msg: 'tokens not counted', request_id: c.get('requestId'), key: grant.name, error: String(error) });
    });
  };
}
