/**
 * Writes each finished request as OpenTelemetry spans, after the fact, from its record: a
 * SERVER span for the request (named `{gen_ai.operation.name} {gen_ai.request.model}`, as
 * the GenAI conventions name it) and a CLIENT child span per upstream attempt, with their
 * real start and end times. The client's `traceparent` makes the request span its child.
 * Spans go out in batches (BatchSpanProcessor) over OTLP/HTTP with JSON bodies.
 *
 * Loaded only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (`tracing.ts` imports it and the OTel
 * packages dynamically).
 * GenAI span conventions: https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
import type { Attributes, Span } from '@opentelemetry/api';
import type { TracingSettings } from '../config.js';
import type { AttemptDetail } from '../chain/attempt-log.js';
import type { RequestRecord } from '../usage/request-record.js';
import type { TokenUsage } from '../usage/token-usage.js';
import { contentAttributes, responseModel } from './span-content.js';

/**
 * The OpenTelemetry packages, imported by `tracing.ts` with `import()`: a static import here
 * would make a bundle (esbuild keeps external packages' imports at its top) load them at start.
 */
export interface OtelModules {
  api: typeof import('@opentelemetry/api');
  core: typeof import('@opentelemetry/core');
  exporter: typeof import('@opentelemetry/exporter-trace-otlp-http');
  resources: typeof import('@opentelemetry/resources');
  sdk: typeof import('@opentelemetry/sdk-trace-base');
}

/** What `tracing.ts` drives. */
export interface SpanWriter {
  /** Writes one request's spans (buffered; exported in batches). */
  write(record: RequestRecord): void;
  /** Exports every buffered span now. */
  flush(): Promise<void>;
  /** Flushes and stops. */
  shutdown(): Promise<void>;
}

/** `gen_ai.operation.name` for a gateway operation (see `metrics/gateway-metrics.ts`). */
function genAiOperation(operation: string): string {
  if (operation === 'completions') return 'text_completion';
  if (operation === 'messages' || operation === 'responses') return 'chat';
  return operation;
}

function usageAttributes(attributes: Attributes, usage: TokenUsage | undefined): void {
  if (usage === undefined) return;
  attributes['gen_ai.usage.input_tokens'] = usage.input_tokens;
  attributes['gen_ai.usage.output_tokens'] = usage.output_tokens;
  if (usage.cache_read_tokens > 0) attributes['gen_ai.usage.cache_read.input_tokens'] = usage.cache_read_tokens;
  if (usage.cache_write_tokens > 0) attributes['gen_ai.usage.cache_creation.input_tokens'] = usage.cache_write_tokens;
  if (usage.reasoning_tokens > 0) attributes['gen_ai.usage.reasoning.output_tokens'] = usage.reasoning_tokens;
}

/** Builds the writer and its exporter. */
export function createSpanWriter(settings: TracingSettings, otel: OtelModules): SpanWriter {
  const { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace } = otel.api;
  const { W3CTraceContextPropagator } = otel.core;
  const { OTLPTraceExporter } = otel.exporter;
  const { resourceFromAttributes } = otel.resources;
  const { BasicTracerProvider, BatchSpanProcessor } = otel.sdk;
  const failed = (span: Span, attributes: Attributes, type: string, message: string) => {
    attributes['error.type'] = type;
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  };
  const exporter = new OTLPTraceExporter({ url: settings.url, headers: settings.headers });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('ai-gateway');
  const propagator = new W3CTraceContextPropagator();

  const attemptSpan = (parent: Span, done: RequestRecord, operation: string, attempt: AttemptDetail, answered: boolean) => {
    const attributes: Attributes = {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': attempt.provider,
      'gateway.attempt.outcome': attempt.outcome,
    };
    if (attempt.model !== undefined) attributes['gen_ai.request.model'] = attempt.model;
    if (attempt.status !== undefined) attributes['http.response.status_code'] = attempt.status;
    const start = done.at + attempt.start_ms;
    const span = tracer.startSpan(
      attempt.model === undefined ? operation : `${operation} ${attempt.model}`,
      { kind: SpanKind.CLIENT, startTime: start },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    if (attempt.error !== undefined) failed(span, attributes, attempt.error, `${attempt.provider}: ${attempt.error}`);
    else if (attempt.status !== undefined && attempt.status >= 400) failed(span, attributes, String(attempt.status), `${attempt.provider} answered ${attempt.status}`);
    if (answered) usageAttributes(attributes, done.usage);
    span.setAttributes(attributes);
    span.end(start + attempt.duration_ms);
  };

  return {
    write(done) {
      if (done.operation === undefined) return;
      const operation = genAiOperation(done.operation);
      const parent = done.traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, { traceparent: done.traceparent }, defaultTextMapGetter);
      const attributes: Attributes = {
        'gen_ai.operation.name': operation,
        'http.request.method': done.method,
        'url.path': done.path,
        'http.response.status_code': done.status,
        'gateway.request.id': done.id,
        'gateway.attempts': done.attempts,
      };
      if (done.provider !== undefined) attributes['gen_ai.provider.name'] = done.provider;
      if (done.model !== undefined) attributes['gen_ai.request.model'] = done.model;
      if (done.cache !== undefined) attributes['gateway.cache'] = done.cache;
      const model = responseModel(done.content?.response);
      if (model !== undefined) attributes['gen_ai.response.model'] = model;
      usageAttributes(attributes, done.usage);
      if (settings.content && done.content) contentAttributes(attributes, done.content);
      const span = tracer.startSpan(done.model === undefined ? operation : `${operation} ${done.model}`, { kind: SpanKind.SERVER, startTime: done.at }, parent);
      // A server span is in error for a 5xx only: a 4xx is the client's (OTel's HTTP conventions).
      if (done.status >= 500) failed(span, attributes, String(done.status), `answered ${done.status}`);
      const attempts = done.attempt_details ?? [];
      let answering = -1;
      for (let index = attempts.length - 1; index >= 0 && answering === -1; index -= 1) if (attempts[index].outcome === 'ok') answering = index;
      for (let index = 0; index < attempts.length; index += 1) {
        const attempt = attempts[index];
        if (attempt.outcome === 'skipped_breaker' || attempt.outcome === 'skipped_no_key') {
          span.addEvent('gateway.entry_skipped', { 'gen_ai.provider.name': attempt.provider, 'gateway.attempt.outcome': attempt.outcome }, done.at + attempt.start_ms);
        } else attemptSpan(span, done, operation, attempt, index === answering);
      }
      span.setAttributes(attributes);
      span.end(done.at + done.duration_ms);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
