/**
 * The gateway's Prometheus metrics (docs/api.md "Metrics and traces"), kept in a registry of
 * this gateway's own (never prom-client's global one: one process may run several gateways)
 * and fed by a request listener from each finished request's record. Names follow the
 * OpenTelemetry GenAI semantic conventions where one exists, as Prometheus spells them
 * (`gen_ai.client.token.usage` → `gen_ai_client_token_usage`):
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/
 *
 * Cheap per request: counters and histograms are `labeled-metrics.ts`' (plain numbers that
 * prom-client's registry writes out), each label set's series is looked up once in a Map and
 * kept, so a request costs a few Map lookups and additions, after its answer went out.
 */
import { Gauge, Registry } from 'prom-client';
import type { CircuitBreaker } from '../chain/circuit-breaker.js';
import type { RequestRecord } from '../usage/request-record.js';
import { type CounterSeries, type HistogramSeries, LabeledCounter, LabeledHistogram } from './labeled-metrics.js';
import { ModelLabels } from './model-labels.js';

/** Token counts: the semconv's advised buckets. */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
/** Request durations in seconds: the semconv's advised buckets. */
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
/** Time to first token in seconds: the semconv's advised buckets. */
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Time per output token in seconds: the semconv's advised buckets. */
const TPOT_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5];
/** The gateway's own time per request in seconds: 50 µs to 1 s. */
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;

/** The gateway's own paths: not requests of its clients' to count. */
const OWN_PATHS = new Set(['/metrics', '/health']);

/**
 * The semconv's `gen_ai.operation.name` for a gateway operation: `completions` is
 * `text_completion`, `messages` and `responses` are `chat`; the others keep their name.
 */
function genAiOperation(operation: string): string {
  if (operation === 'completions') return 'text_completion';
  if (operation === 'messages' || operation === 'responses') return 'chat';
  return operation;
}

/** The series of one request's label set (operation, provider, model, status). */
interface Series {
  requests: CounterSeries;
  duration: HistogramSeries;
  overhead: HistogramSeries;
  firstToken: HistogramSeries;
  perToken: HistogramSeries;
  input: HistogramSeries;
  output: HistogramSeries;
  /** The rarer token types' series, looked up when there are such tokens. */
  tokens(type: string): HistogramSeries;
}

function counter(registry: Registry, name: string, help: string, labelNames: string[]): LabeledCounter {
  return new LabeledCounter(name, help, labelNames, registry);
}

function histogram(registry: Registry, name: string, help: string, labelNames: string[], buckets: number[]): LabeledHistogram {
  return new LabeledHistogram(name, help, labelNames, buckets, registry);
}

/** What the metrics read beyond the records. */
export interface MetricsSources {
  /** The configured providers, for the breaker gauge. */
  providers: Iterable<string>;
  breaker: CircuitBreaker;
}

/** The metrics of one gateway. */
export class GatewayMetrics {
  /** This gateway's registry; `GET /metrics` writes it out. */
  readonly registry = new Registry();
  private readonly models = new ModelLabels();
  private readonly requests: LabeledCounter;
  private readonly attempts: LabeledCounter;
  private readonly cache: LabeledCounter;
  private readonly tokens: LabeledHistogram;
  private readonly duration: LabeledHistogram;
  private readonly firstToken: LabeledHistogram;
  private readonly perToken: LabeledHistogram;
  private readonly overhead: LabeledHistogram;
  private readonly cost: LabeledCounter;
  private readonly unpriced: LabeledCounter;
  private readonly byLabels = new Map<string, Series>();

  constructor(sources: MetricsSources) {
    const r = this.registry;
    const genAi = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'];
    this.requests = counter(r, 'gateway_requests_total', 'Requests answered, by operation, answering provider, model and HTTP status.', [
      'operation',
      'provider',
      'model',
      'status',
    ]);
    this.attempts = counter(
      r,
      'gateway_attempts_total',
      'Upstream attempts and skipped chain entries, by provider and outcome (ok, error, retried, fell_back, skipped_breaker, skipped_no_key).',
      ['provider', 'outcome'],
    );
    this.cache = counter(r, 'gateway_cache_results_total', 'Response cache verdicts (x-gateway-cache): HIT, MISS, BYPASS.', ['operation', 'result']);
    this.tokens = histogram(
      r,
      'gen_ai_client_token_usage',
      'Tokens per request, by type: input, output (totals), and cache_read, cache_write, reasoning (parts of those, observed when above 0).',
      [...genAi, 'gen_ai_token_type'],
      TOKEN_BUCKETS,
    );
    this.duration = histogram(
      r,
      'gen_ai_server_request_duration_seconds',
      'Time from a request’s arrival to its answer’s last byte, in seconds.',
      [...genAi, 'error_type'],
      DURATION_BUCKETS,
    );
    this.firstToken = histogram(r, 'gen_ai_server_time_to_first_token_seconds', 'Streams: time from arrival to the first event, in seconds.', genAi, TTFT_BUCKETS);
    this.perToken = histogram(
      r,
      'gen_ai_server_time_per_output_token_seconds',
      'Streams: time per output token after the first, in seconds.',
      genAi,
      TPOT_BUCKETS,
    );
    this.overhead = histogram(
      r,
      'gateway_overhead_seconds',
      'Time a request spent in the gateway itself, upstream time excluded, in seconds (requests answered by a provider or the cache).',
      ['operation'],
      OVERHEAD_BUCKETS,
    );
    this.cost = counter(r, 'gateway_cost_usd_total', 'What answers cost, in USD, by gateway key, provider and model.', ['key', 'provider', 'model']);
    this.unpriced = counter(r, 'gateway_unpriced_requests_total', 'Answers with usage but no price for their model, by gateway key, provider and model.', [
      'key',
      'provider',
      'model',
    ]);
    const providers = [...sources.providers];
    const breaker = sources.breaker;
    new Gauge({
      name: 'gateway_circuit_breaker_state',
      help: 'Each provider’s circuit: 1 for its current state (closed, open, half_open), 0 for the others.',
      labelNames: ['provider', 'state'],
      registers: [r],
      collect() {
        for (const provider of providers) {
          const now = breaker.state(provider);
          for (const state of CIRCUIT_STATES) this.set({ provider, state }, state === now ? 1 : 0);
        }
      },
    });
  }

  /**
   * The children one request's labels lead to, made once per label set: a request then costs
   * one Map lookup for all of them (its attempts one more each).
   */
  private seriesFor(operation: string, provider: string, model: string, status: number): Series {
    const key = `${operation}\u0000${provider}\u0000${model}\u0000${status}`;
    let series = this.byLabels.get(key);
    if (series === undefined) {
      const genAiOp = genAiOperation(operation);
      series = {
        requests: this.requests.series(operation, provider, model, String(status)),
        duration: this.duration.series(genAiOp, provider, model, status >= 400 ? String(status) : ''),
        overhead: this.overhead.series(operation),
        firstToken: this.firstToken.series(genAiOp, provider, model),
        perToken: this.perToken.series(genAiOp, provider, model),
        tokens: (type) => this.tokens.series(genAiOp, provider, model, type),
        input: this.tokens.series(genAiOp, provider, model, 'input'),
        output: this.tokens.series(genAiOp, provider, model, 'output'),
      };
      this.byLabels.set(key, series);
    }
    return series;
  }

  /** Counts one finished request (a `RequestListener`). */
  readonly record = (done: RequestRecord): void => {
    if (OWN_PATHS.has(done.path)) return;
    const operation = done.operation ?? 'none';
    const details = done.attempt_details;
    // A chain that failed names no answering provider: the last one it tried stands for it.
    let provider = done.provider;
    if (provider === undefined && details !== undefined) {
      for (let index = details.length - 1; index >= 0 && provider === undefined; index -= 1) if (!details[index].outcome.startsWith('skipped')) provider = details[index].provider;
    }
    const answered = done.status < 400 && done.cache !== 'HIT';
    const model = provider === undefined ? '' : this.models.label(provider, done.model, answered);
    const series = this.seriesFor(operation, provider ?? '', model, done.status);
    series.requests.inc();
    if (details !== undefined) for (const attempt of details) this.attempts.series(attempt.provider, attempt.outcome).inc();
    if (done.cache !== undefined) this.cache.series(operation, done.cache).inc();
    if (provider === undefined) return;

    series.duration.observe(done.duration_ms / 1000);
    if ((done.upstream_ms !== undefined && done.upstream_ms > 0) || done.cache === 'HIT') {
      series.overhead.observe(Math.max(0, done.duration_ms - (done.upstream_ms ?? 0)) / 1000);
    }
    const usage = done.usage;
    if (done.first_token_ms !== undefined) {
      series.firstToken.observe(done.first_token_ms / 1000);
      if (usage !== undefined && usage.output_tokens > 1) series.perToken.observe((done.duration_ms - done.first_token_ms) / (usage.output_tokens - 1) / 1000);
    }
    if (usage !== undefined) {
      series.input.observe(usage.input_tokens);
      series.output.observe(usage.output_tokens);
      if (usage.cache_read_tokens > 0) series.tokens('cache_read').observe(usage.cache_read_tokens);
      if (usage.cache_write_tokens > 0) series.tokens('cache_write').observe(usage.cache_write_tokens);
      if (usage.reasoning_tokens > 0) series.tokens('reasoning').observe(usage.reasoning_tokens);
    }
    if (typeof done.cost_usd === 'number') this.cost.series(done.key ?? '', provider, model).inc(done.cost_usd);
    else if (done.cost_usd === null) this.unpriced.series(done.key ?? '', provider, model).inc();
  };

  /** The registry in Prometheus' text format, and its content type. */
  async scrape(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
