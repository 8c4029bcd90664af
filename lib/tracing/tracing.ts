/**
 * OpenTelemetry traces, on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: the OTel SDK is
 * imported then, dynamically, so that a gateway without traces neither loads nor allocates
 * any of it. A request listener hands each finished request to the span writer
 * (`span-writer.ts`); records that finish while the SDK still loads wait for it (at most
 * {@link MAX_WAITING}).
 *
 * Spans are exported in batches. On Node they are flushed when the server stops; on Vercel
 * and Netlify, where an instance may freeze (or end) as soon as its answer is out, each
 * request's spans are flushed right after it, best effort (docs/api.md "Metrics and traces").
 */
import type { TracingSettings } from '../config.js';
import type { Logger } from '../log/logger.js';
import type { Runtime } from '../responses/open-response-store.js';
import type { RequestRecord } from '../usage/request-record.js';
import type { SpanWriter } from './span-writer.js';

/** Records kept while the SDK loads; later ones are dropped. */
const MAX_WAITING = 1000;

/** The traces of one gateway. */
export interface Tracing {
  /** `GATEWAY_TRACE_CONTENT=on`: the proxy keeps the prompt for the span. */
  content: boolean;
  /** Writes one finished request's spans (a `RequestListener`). */
  record(done: RequestRecord): void;
  /** Exports the spans written so far. */
  flush(): Promise<void>;
  /** Flushes and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing.
 * @param runtime where the gateway runs: on `vercel` and `netlify` every request's spans are flushed at once
 * @param signal stops tracing (after a flush) when it aborts
 */
export function startTracing(settings: TracingSettings, logger: Logger, runtime: Runtime, signal?: AbortSignal): Tracing {
  let writer: SpanWriter | undefined;
  let stopped = false;
  const waiting: RequestRecord[] = [];
  const flushEach = runtime !== 'node';
  const report = (error: unknown) => logger.log('warn', { msg: 'trace export failed', error: String(error) });
  const write = (done: RequestRecord) => {
    (writer as SpanWriter).write(done);
    if (flushEach) void (writer as SpanWriter).flush().catch(report);
  };
  const loading = Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('./span-writer.js'),
  ]).then(
    ([api, core, exporter, resources, sdk, { createSpanWriter }]) => {
      writer = createSpanWriter(settings, { api, core, exporter, resources, sdk });
      for (const done of waiting.splice(0)) write(done);
      return writer;
    },
    (error: unknown) => {
      logger.log('error', { msg: 'traces are off: the OpenTelemetry SDK could not be loaded', error: String(error) });
      waiting.length = 0;
      return undefined;
    },
  );
  const tracing: Tracing = {
    content: settings.content,
    record(done) {
      if (stopped) return;
      if (writer !== undefined) write(done);
      else if (waiting.length < MAX_WAITING) waiting.push(done);
    },
    flush: async () => {
      await (await loading)?.flush();
    },
    shutdown: async () => {
      if (stopped) return;
      stopped = true;
      await (await loading)?.shutdown();
    },
  };
  signal?.addEventListener('abort', () => void tracing.shutdown().catch(report), { once: true });
  return tracing;
}
