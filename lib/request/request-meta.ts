/**
 * What one request did, filled in as it goes and read when it ends. The request log
 * writes it as one line and the rate limiter charges its tokens; each part of the gateway
 * fills in what it knows: the key check sets `key` and `headers`, the proxy the chain,
 * who answered and the usage, the response cache `cache`.
 */
import type { AttemptEntry } from '../chain/attempt-log.js';
import type { TokenUsage } from '../usage/token-usage.js';

/** `x-gateway-cache` values: served from the cache, stored into it, or not looked up. */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS';

/** One request's record; lives in Hono's context as `c.var.meta`. */
export interface RequestMeta {
  /** `performance.now()` when the request arrived, in ms. */
  startedAt: number;
  /** When the request arrived, in ms since the epoch. */
  arrivedAt: number;
  /** The operation a route named (`chat`, `messages`, `responses`…). */
  operation?: string;
  /** The gateway key's name (never the key), when gateway keys are on. */
  key?: string;
  /** The resolved chain, one `provider` or `provider/model` per entry. */
  chain?: string[];
  /** The provider that answered. */
  provider?: string;
  /** The model the answering provider was asked for. */
  model?: string;
  /** Upstream requests made, in all. */
  attempts?: number;
  /** Set by the response cache; undefined when it was not involved. */
  cache?: CacheStatus;
  /** Token counts from the provider's `usage` (body or stream), in the one shape; `partial` for a cut stream. */
  usage?: TokenUsage;
  /** What the answer cost, in USD; null when the model has no price. */
  cost_usd?: number | null;
  /** Headers every answer to this request carries, errors included (the key's rate limits). */
  headers: Record<string, string>;
  /** For an answer whose body is still streaming: settles when it ended, `usage` known by then. */
  ended?: Promise<void>;
  /** The chain's attempts with their timing, filled in by the chain (see `chain/attempt-log.ts`). */
  attempt_log?: AttemptEntry[];
  /** `performance.now()` when a streamed answer ended, in ms. */
  stream_ended_at?: number;
  /** The client's `traceparent` header, kept only while traces are on. */
  traceparent?: string;
  /** While traces are on: a plain answer's body (for its model), and the prompt with `GATEWAY_TRACE_CONTENT=on`. */
  content?: TraceContent;
}

/** What a trace may read of a request's content; only `GATEWAY_TRACE_CONTENT=on` puts the prompt and answer in spans. */
export interface TraceContent {
  /** The client's JSON body. */
  request?: Record<string, unknown>;
  /** A plain (non-stream) answer's body as the client got it. */
  response?: Uint8Array;
}

/** A fresh record for a request that arrives now. */
export function newRequestMeta(): RequestMeta {
  return { startedAt: performance.now(), arrivedAt: Date.now(), headers: {} };
}
