/**
 * What one finished request did, as every consumer after the answer reads it: the request
 * log, spend and budgets, metrics, traces and the admin console's recent requests. Built
 * once per request from its `RequestMeta`, when the answer is complete (for a stream, when
 * it ended). Never a key; a prompt or a completion only in `content`, for traces, while they
 * are on (spans carry them only with `GATEWAY_TRACE_CONTENT=on`).
 */
import type { AttemptDetail } from '../chain/attempt-log.js';
import type { CacheStatus, TraceContent } from '../request/request-meta.js';
import type { TokenUsage } from './token-usage.js';

/** One finished request. */
export interface RequestRecord {
  /** The request id (`x-request-id`). */
  id: string;
  /** When the request arrived, in ms since the epoch. */
  at: number;
  method: string;
  /** The path, never the query (it may carry a key). */
  path: string;
  /** The HTTP status the client got. */
  status: number;
  /** The operation (`chat`, `completions`, `embeddings`, `messages`, `responses`…), when a route named one. */
  operation?: string;
  /** The gateway key's name, when gateway keys are on. */
  key?: string;
  /** The resolved chain, one `provider` or `provider/model` per entry. */
  chain?: string[];
  /** The provider that answered. */
  provider?: string;
  /** The model the answering provider was asked for. */
  model?: string;
  /** Upstream requests made, in all. */
  attempts: number;
  cache?: CacheStatus;
  /** The tokens the answer used; undefined when the provider reported none. */
  usage?: TokenUsage;
  /** What the answer cost, in USD; null when the model has no price (unpriced, never $0); undefined without usage. */
  cost_usd?: number | null;
  /** Time to the answer's first byte (its headers), in ms. */
  ttfb_ms: number;
  /** Time to the answer's last byte, in ms. */
  duration_ms: number;
  /** Each upstream attempt (and skipped chain entry) with its outcome and timing; undefined when no chain ran. */
  attempt_details?: AttemptDetail[];
  /** Time spent waiting on upstreams, in ms (a stream's relay included); undefined when no chain ran. */
  upstream_ms?: number;
  /** For a streamed answer: time from arrival to its first event, in ms. */
  first_token_ms?: number;
  /** The client's `traceparent` header, only while traces are on. */
  traceparent?: string;
  /** While traces are on: a plain answer's body, and the prompt with `GATEWAY_TRACE_CONTENT=on` (for traces only; never logged). */
  content?: TraceContent;
}

/** Called once per finished request; must not throw and must stay cheap (it runs for every request). */
export type RequestListener = (record: RequestRecord) => void;

/**
 * Hands `done` to each listener; one that throws is logged and the others still run.
 * @param log writes the error line (the gateway's logger)
 */
export function notifyListeners(listeners: readonly RequestListener[], done: RequestRecord, log: (fields: Record<string, unknown>) => void): void {
  for (const listener of listeners) {
    try {
      listener(done);
    } catch (error) {
      log({ msg: 'request listener failed', request_id: done.id, error: String(error) });
    }
  }
}
