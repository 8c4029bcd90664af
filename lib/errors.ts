/**
 * The gateway's one error type, rendered as OpenAI's error shape
 * `{"error":{"message","type","code","param"}}`.
 *
 * @see https://platform.openai.com/docs/guides/error-codes
 */

/** OpenAI's error `type` values the gateway uses, plus its own upstream kinds. */
export type GatewayErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'upstream_error'
  | 'timeout_error'
  | 'api_error';

/** Constructor options of {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** HTTP status sent to the client (400–599). */
  status: number;
  message: string;
  type?: GatewayErrorType;
  /** Machine-readable code, e.g. `unknown_provider`. */
  code?: string | null;
  /** The request field at fault, e.g. `model`. */
  param?: string | null;
  /** The provider this error came from, when it came from one. */
  provider?: string;
  /** Whether trying again (or another provider) may succeed. */
  retryable?: boolean;
  /** How long the provider asked us to wait before retrying, in ms. */
  retryAfterMs?: number;
  /** Extra top-level fields of `error` (e.g. `attempts`). */
  extra?: Record<string, unknown>;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

const DEFAULT_TYPES: Record<number, GatewayErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  502: 'upstream_error',
  504: 'timeout_error',
};

/** OpenAI's error `type` for an HTTP status (`api_error` for any status without its own). */
export function errorTypeForStatus(status: number): GatewayErrorType {
  return DEFAULT_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * An error the gateway itself answers with. Thrown anywhere in the request path;
 * the app's one `onError` renders it with {@link errorResponse}.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: GatewayErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly provider?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(options: GatewayErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status;
    this.type = options.type ?? DEFAULT_TYPES[options.status] ?? 'api_error';
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.provider = options.provider;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.extra = options.extra;
    this.headers = options.headers;
  }

  /** The OpenAI-shaped JSON body: `{"error":{message,type,code,param,...extra}}`. */
  toJSON(): { error: Record<string, unknown> } {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        param: this.param,
        ...this.extra,
      },
    };
  }
}

/** A 400 `invalid_request_error` for a client mistake, naming the field at fault. */
export function badRequest(message: string, param: string | null = null, code = 'invalid_request'): GatewayError {
  return new GatewayError({ status: 400, message, param, code });
}

/** Writes an error's JSON body in the shape of the API the client called. */
export type ErrorShape = (error: GatewayError) => unknown;

/** OpenAI's shape, `{"error":{message,type,code,param}}`: every endpoint's but the Messages API's. */
export const openAIErrorShape: ErrorShape = (error) => error.toJSON();

/**
 * Renders an error as a JSON `Response`, OpenAI-shaped unless `shape` says otherwise. A
 * non-`GatewayError` is a bug of ours: it becomes a 500 whose message never carries a
 * stack trace.
 */
export function errorResponse(error: unknown, headers: Record<string, string> = {}, shape: ErrorShape = openAIErrorShape): Response {
  const gatewayError =
    error instanceof GatewayError
      ? error
      : new GatewayError({ status: 500, message: 'Internal gateway error', type: 'api_error', code: 'internal_error' });
  return new Response(JSON.stringify(shape(gatewayError)), {
    status: gatewayError.status,
    headers: { 'content-type': 'application/json', ...gatewayError.headers, ...headers },
  });
}
