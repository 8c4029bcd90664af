/**
 * What one finished request did, as every consumer after the answer reads it: the request
 * log, spend and budgets, metrics, traces and the admin console's recent requests. Built
 * once per request from its `RequestMeta`, when the answer is complete (for a stream, when
 * it ended). Never a key, never a prompt or a completion.
 */
import type { CacheStatus } from '../request/request-meta.js';
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
}

/** Called once per finished request; must not throw and must stay cheap (it runs for every request). */
export type RequestListener = (record: RequestRecord) => void;
