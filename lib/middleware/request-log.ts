/**
 * The request log: one JSON line per request with the fields docs/api.md "Logs" lists,
 * written when the answer is complete (for a stream, when it ended, so that its usage and
 * duration are known). Never a key, never a body, never the query (it may carry a key).
 */
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from '../gateway.js';
import type { Logger } from '../log/logger.js';
import { newRequestMeta, type RequestMeta } from '../request/request-meta.js';

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

function line(meta: RequestMeta, request: { id: string; method: string; path: string; status: number; ttfbMs: number }) {
  return {
    request_id: request.id,
    method: request.method,
    path: request.path,
    key: meta.key ?? null,
    chain: meta.chain ?? null,
    provider: meta.provider ?? null,
    model: meta.model ?? null,
    status: request.status,
    attempts: meta.attempts ?? 0,
    cache: meta.cache ?? null,
    ttfb_ms: request.ttfbMs,
    duration_ms: elapsed(meta.startedAt),
    usage: meta.usage ?? null,
  };
}

/**
 * Sets `c.var.meta` for everything after it, and logs the request once it is answered.
 * A 5xx is logged at `error`, everything else at `info`.
 */
export function requestLog(logger: Logger): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const meta = newRequestMeta();
    c.set('meta', meta);
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'error' : 'info';
    if (!logger.enabled(level)) return;
    const request = { id: c.get('requestId'), method: c.req.method, path: c.req.path, status, ttfbMs: elapsed(meta.startedAt) };
    const write = () => logger.log(level, line(meta, request));
    // A plain answer's line is built after the turn that writes the answer, not before it:
    // the client waits for no log line, and `duration_ms` then includes the write.
    if (meta.ended) void meta.ended.then(write);
    else setImmediate(write);
  };
}
