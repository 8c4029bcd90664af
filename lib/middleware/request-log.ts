/**
 * The request log: one JSON line per request with the fields docs/api.md "Logs" lists,
 * written when the answer is complete (for a stream, when it ended, so that its usage and
 * duration are known). Never a key, never a body, never the query (it may carry a key).
 * The same moment hands a `RequestRecord` to every listener (spend, metrics, traces, the
 * admin console's recent requests).
 */
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from '../gateway.js';
import type { Logger } from '../log/logger.js';
import { newRequestMeta, type RequestMeta } from '../request/request-meta.js';
import { notifyListeners, type RequestListener, type RequestRecord } from '../usage/request-record.js';
import type { TokenUsage } from '../usage/token-usage.js';
import { summarizeAttempts } from '../chain/attempt-log.js';

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

/**
 * The log line's `usage`: OpenAI's two totals, and the details (cache reads and writes,
 * reasoning, a cut stream's `partial`, a count of the gateway's own `estimated`) only when
 * they are not zero.
 */
function logUsage(usage: TokenUsage) {
  // Assigned one by one rather than spread in: this runs for every request.
  const logged: Record<string, number | boolean> = { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens };
  if (usage.cache_read_tokens > 0) logged.cache_read_tokens = usage.cache_read_tokens;
  if (usage.cache_write_tokens > 0) logged.cache_write_tokens = usage.cache_write_tokens;
  if (usage.reasoning_tokens > 0) logged.reasoning_tokens = usage.reasoning_tokens;
  if (usage.partial) logged.partial = true;
  if (usage.estimated) logged.estimated = true;
  return logged;
}

function record(meta: RequestMeta, request: { id: string; method: string; path: string; status: number; ttfbMs: number }): RequestRecord {
  const done: RequestRecord = {
    id: request.id,
    at: meta.arrivedAt,
    method: request.method,
    path: request.path,
    status: request.status,
    operation: meta.operation,
    key: meta.key,
    chain: meta.chain,
    provider: meta.provider,
    model: meta.model,
    attempts: meta.attempts ?? 0,
    cache: meta.cache,
    usage: meta.usage,
    cost_usd: meta.cost_usd,
    ttfb_ms: request.ttfbMs,
    duration_ms: elapsed(meta.startedAt),
  };
  if (meta.attempt_log) {
    const summary = summarizeAttempts(meta.attempt_log, meta.startedAt, meta.stream_ended_at);
    done.attempt_details = summary.attempts;
    done.upstream_ms = summary.upstream_ms;
    done.first_token_ms = summary.first_token_ms;
  }
  if (meta.traceparent !== undefined) done.traceparent = meta.traceparent;
  if (meta.content !== undefined) done.content = meta.content;
  return done;
}

function line(done: RequestRecord) {
  return {
    request_id: done.id,
    method: done.method,
    path: done.path,
    key: done.key ?? null,
    chain: done.chain ?? null,
    provider: done.provider ?? null,
    model: done.model ?? null,
    status: done.status,
    attempts: done.attempts,
    cache: done.cache ?? null,
    ttfb_ms: done.ttfb_ms,
    duration_ms: done.duration_ms,
    usage: done.usage ? logUsage(done.usage) : null,
    // null without usage, or with `unpriced: true` for a model without a price (never $0).
    cost_usd: done.cost_usd ?? null,
    ...(done.usage && done.cost_usd === null ? { unpriced: true } : {}),
  };
}

/**
 * Sets `c.var.meta` for everything after it, and, once the request is answered, logs it and
 * hands its record to each of `listeners` (a listener that throws is logged, not fatal).
 * A 5xx is logged at `error`, everything else at `info`.
 */
export function requestLog(logger: Logger, listeners: readonly RequestListener[] = []): MiddlewareHandler<GatewayEnv> {
  // Made once, not per request.
  const logError = (fields: Record<string, unknown>) => logger.log('error', fields);
  return async (c, next) => {
    const meta = newRequestMeta();
    c.set('meta', meta);
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'error' : 'info';
    const logs = logger.enabled(level);
    if (!logs && listeners.length === 0) return;
    const request = { id: c.get('requestId'), method: c.req.method, path: c.req.path, status, ttfbMs: elapsed(meta.startedAt) };
    const finish = () => {
      const done = record(meta, request);
      if (logs) logger.log(level, line(done));
      notifyListeners(listeners, done, logError);
    };
    // A plain answer's line is built after the turn that writes the answer, not before it:
    // the client waits for no log line, and `duration_ms` then includes the write.
    if (meta.ended) void meta.ended.then(finish);
    else setImmediate(finish);
  };
}
