/**
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_SERVICE_NAME` and
 * `GATEWAY_TRACE_CONTENT`, checked (the schema is in `config.ts`).
 */
import { checkBaseURL, ConfigError } from '../config-checks.js';

/** Where and how spans are exported (OTLP over HTTP, JSON). */
export interface TracingSettings {
  /** The traces URL: `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. */
  url: string;
  /** `OTEL_EXPORTER_OTLP_HEADERS`, parsed; may hold credentials, never logged. */
  headers: Record<string, string>;
  /** `OTEL_SERVICE_NAME`. */
  serviceName: string;
  /** `GATEWAY_TRACE_CONTENT=on`: spans carry the prompt and a plain answer. */
  content: boolean;
}

/**
 * `OTEL_EXPORTER_OTLP_HEADERS`: `name=value` pairs, comma-separated, values percent-encoded (the OTel spec's form).
 * @throws ConfigError for a pair without `=` (never quoting the value: it may be a credential)
 */
function otlpHeaders(value: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new ConfigError('OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs separated by commas');
    let decoded: string;
    try {
      decoded = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      throw new ConfigError(`OTEL_EXPORTER_OTLP_HEADERS: the value of ${pair.slice(0, equals).trim()} is not valid percent-encoding`);
    }
    headers[pair.slice(0, equals).trim().toLowerCase()] = decoded;
  }
  return headers;
}

/**
 * The trace export settings, or undefined without an endpoint (no traces).
 * @throws ConfigError for a bad endpoint or headers
 */
export function tracingSettings(endpoint: string | undefined, headers: string, serviceName: string, content: boolean): TracingSettings | undefined {
  if (endpoint === undefined) return undefined;
  const base = checkBaseURL('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint);
  return {
    url: `${base}/v1/traces`,
    headers: otlpHeaders(headers),
    serviceName,
    content,
  };
}
