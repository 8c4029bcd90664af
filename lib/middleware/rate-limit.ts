/**
 * Enforces the rate limits of the request's gateway key (set by `gateway-auth.ts`):
 * admits or refuses it with a 429 and `Retry-After`, puts the key's `x-ratelimit-*`
 * headers on every answer to it, and charges the answer's tokens once it is complete
 * (for a stream, when it ended).
 */
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../errors.js';
import type { GatewayEnv } from '../gateway.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../log/logger.js';

/** The middleware; keys without limits pass untouched. */
export function rateLimit(limiter: RateLimiter, logger: Logger): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const grant = c.get('grant');
    if (grant === undefined || (grant.rpm === undefined && grant.tpm === undefined)) return next();
    const admission = await limiter.admit(grant.id, grant);
    const meta = c.get('meta');
    Object.assign(meta.headers, admission.headers);
    if (!admission.allowed) {
      const limit = admission.exceeded === 'tokens' ? `${grant.tpm} tokens` : `${grant.rpm} requests`;
      throw new GatewayError({
        status: 429,
        message: `Rate limit reached for gateway key "${grant.name}": ${limit} per minute. Try again in ${admission.retryAfterS} s.`,
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': String(admission.retryAfterS) },
      });
    }
    await next();
    if (grant.tpm === undefined) return;
    const charge = async () => {
      await meta.ended;
      if (meta.usage) await limiter.charge(grant.id, meta.usage.prompt_tokens + meta.usage.completion_tokens);
    };
    charge().catch((error: unknown) => {
      logger.log('warn', { msg: 'tokens not counted', request_id: c.get('requestId'), key: grant.name, error: String(error) });
    });
  };
}
