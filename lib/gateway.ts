/**
 * The gateway's long-lived state, built once at start-up from the configuration: the
 * provider adapters and everything the request path would otherwise recompute.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestIdVariables } from 'hono/request-id';
import type { GatewayConfig } from './config.js';
import { ResponseCache } from './cache/response-cache.js';
import { CircuitBreaker } from './chain/circuit-breaker.js';
import type { ChainContext } from './chain/run-chain.js';
import type { LogSink } from './log/line-buffer.js';
import { createLogger, type Logger } from './log/logger.js';
import { authMode, type AuthMode } from './keys/auth-mode.js';
import { isLocalRequest } from './keys/local-request.js';
import type { Grant } from './keys/grant.js';
import { openKeyStore, type KeyStore } from './keys/key-store.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { createProviders } from './providers/registry.js';
import type { Provider } from './providers/types.js';
import type { RequestMeta } from './request/request-meta.js';
import { openResponseStore, type Runtime } from './responses/open-response-store.js';
import type { ResponseStore } from './responses/response-store.js';
import { openStateStore } from './store/open-state-store.js';
import type { StateStore } from './store/state-store.js';
import type { RequestListener } from './usage/request-record.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { startTracing, type Tracing } from './tracing/tracing.js';
import { createPricer, type Pricer } from './pricing/pricer.js';
import { spendListener } from './spend/spend-listener.js';

/** Everything a request handler needs besides the request. */
export interface Gateway extends ChainContext {
  config: GatewayConfig;
  providers: ReadonlyMap<string, Provider>;
  /** Configured provider names, for validation and error messages. */
  known: ReadonlySet<string>;
  /** Whether `DEFAULT_PROVIDER`'s own model ids start with a vendor (`<NAME>_MODEL_IDS=prefixed`). */
  defaultOwnsPrefixedModels: boolean;
  /** The response cache; undefined when `GATEWAY_CACHE=off`. */
  cache?: ResponseCache;
  logger: Logger;
  /** The gateway keys; undefined with `GATEWAY_AUTH=off`. */
  keys?: KeyStore;
  /** Whether clients beyond this machine can reach the gateway (see `keys/auth-mode.ts`). */
  exposed: boolean;
  /** The credential rule in force now. */
  authMode(): AuthMode;
  /**
   * Whether this request may spend the gateway's own provider keys: with a gateway key, with
   * `GATEWAY_AUTH=off`, or on a loopback-only gateway from this machine's own clients
   * (`keys/local-request.ts`); never in `own-keys-only`.
   * @param read reads a request header by lower-case name
   */
  lendsKeys(read: (name: string) => string | undefined): boolean;
  /**
   * Whether a request without credentials is the machine's own (`open-loopback` or
   * `GATEWAY_AUTH=off`, from this machine's own clients): it then has the `local` tenant.
   */
  isLocalClient(read: (name: string) => string | undefined): boolean;
  /** Stored responses (`POST /v1/responses` with `store: true`, and what reads them). */
  responses: ResponseStore;
  /** Per-key request and token counters. */
  limiter: RateLimiter;
  /** Where shared state lives: in process, or Redis. */
  state: StateStore;
  /**
   * Called with each finished request's record (see `usage/request-record.ts`): spend,
   * metrics, traces and the admin console add themselves here at start-up.
   */
  listeners: RequestListener[];
  /** The Prometheus metrics (`GET /metrics`); undefined with `GATEWAY_METRICS=off`. */
  metrics?: GatewayMetrics;
  /** OpenTelemetry traces; undefined unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set. */
  tracing?: Tracing;
  /** Prices answers in USD (`pricing/pricer.ts`). */
  pricer: Pricer;
}

/** What a host (or a test) may provide instead of the defaults. */
export interface GatewayOptions {
  /** The clock, in ms since the epoch, for the cache's expiry and ages and the rate limits' windows. */
  now?: () => number;
  /** Where log lines go; `process.stdout` by default. */
  logSink?: LogSink;
  /** Ends the gateway's background work (watching the key store) when it aborts. */
  signal?: AbortSignal;
  /**
   * Whether clients beyond this machine can reach the gateway: true (the default, and always
   * on Vercel and Netlify) unless the host says it listens on loopback only, as `npm start`
   * does by default. Decides between `own-keys-only` and `open-loopback` when no gateway
   * credential is configured.
   */
  exposed?: boolean;
  /** Listeners for every finished request, besides those the gateway adds itself (see `Gateway.listeners`). */
  listeners?: RequestListener[];
  /** True when the host serves the admin console elsewhere (`GATEWAY_ADMIN_PORT`): then not under `/admin` of this app. */
  adminElsewhere?: boolean;
  /** The runtime, for where stored responses live (see `responses/open-response-store.ts`); `node` by default. */
  runtime?: Runtime;
}

/** Builds the gateway's state from a checked configuration. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const providers = createProviders(config.providers);
  const now = options.now ?? Date.now;
  const { cache } = config;
  const logger = createLogger(config.logLevel, options.logSink);
  const state = openStateStore(config, logger, now, options.signal);
  const keys = openKeyStore(config, logger, options.signal, state.keys);
  const exposed = options.exposed ?? true;
  const breaker = new CircuitBreaker(config.circuitFailures, config.circuitCooldownMs, Date.now, state.circuits);
  const metrics = config.metrics ? new GatewayMetrics({ providers: providers.keys(), breaker }) : undefined;
  const tracing = config.tracing ? startTracing(config.tracing, logger, options.runtime ?? 'node', options.signal) : undefined;
  const observers: RequestListener[] = [];
  if (metrics) observers.push(metrics.record);
  if (tracing) observers.push(tracing.record);
  return {
    config,
    providers,
    known: new Set(providers.keys()),
    defaultOwnsPrefixedModels: providers.get(config.defaultProvider)?.config.settings.MODEL_IDS === 'prefixed',
    logger,
    keys,
    exposed,
    authMode: () => authMode(keys, exposed),
    lendsKeys(read) {
      const mode = authMode(keys, exposed);
      return mode === 'keys' || mode === 'off' || (mode === 'open-loopback' && isLocalRequest(read));
    },
    isLocalClient(read) {
      const mode = authMode(keys, exposed);
      return (mode === 'open-loopback' || mode === 'off') && isLocalRequest(read);
    },
    responses: state.responses ?? openResponseStore(config, options.runtime ?? 'node', now),
    limiter: new RateLimiter(state.limits, config.limitsOnStoreError, now),
    state,
    listeners: [...observers, spendListener(state.spend, logger), ...(options.listeners ?? [])],
    metrics,
    tracing,
    pricer: createPricer(config.prices),
    streamIdleTimeoutMs: config.streamIdleTimeoutMs,
    keyRotation: new Map(),
    breaker,
    retryBaseMs: config.retryBaseMs,
    maxRetryAfterMs: config.maxRetryAfterMs,
    // The in-process cache needs room; Redis is bounded by its own `maxmemory`.
    cache:
      cache.mode !== 'off' && (config.redis !== undefined || cache.maxBytes > 0)
        ? new ResponseCache(state.cache, cache.ttlSeconds * 1000, now, { maxEntryBytes: cache.maxEntryBytes, flights: state.flights })
        : undefined,
  };
}

/** What the Node adapter passes as `c.env` (the raw request); other runtimes pass nothing. */
export interface NodeBindings {
  incoming?: Pick<IncomingMessage, 'url' | 'rawHeaders'>;
}

/** Hono's environment for this app: the runtime's bindings and the variables its middleware set. */
export type GatewayEnv = {
  Bindings: NodeBindings;
  Variables: RequestIdVariables & {
    meta: RequestMeta;
    grant?: Grant;
    /** Admits (counts) the request against its key's rate limits; set for a limited key (see `middleware/rate-limit.ts`). */
    admit?: () => Promise<void>;
  };
};
