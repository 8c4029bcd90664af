/**
 * Error bodies, both ways: Anthropic's `{"type":"error","error":{type,message}}` and
 * OpenAI's `{"error":{message,type,code,param}}`. The type names mostly agree; where
 * they do not, the status decides.
 *
 * @see https://docs.anthropic.com/en/api/errors
 */
import { errorTypeForStatus } from '../../errors.js';
import { errorText, openAIErrorBody, parseErrorJson } from '../openai-format/openai-error-body.js';
import { AnthropicErrorSchema } from './anthropic-wire.js';

/** Anthropic's error type for each status it documents. */
const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Every error type Anthropic documents. */
const ANTHROPIC_KNOWN = new Set([...Object.values(ANTHROPIC_TYPES), 'billing_error', 'timeout_error']);

const SHARED_TYPES = new Set(['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'rate_limit_error', 'api_error']);

const encoder = new TextEncoder();

/**
 * Anthropic's error type for a status (`api_error` for a status without its own), or
 * `code` itself when it already is one of Anthropic's types (an `overloaded_error` that
 * came in Anthropic's own stream keeps its name).
 */
export function anthropicErrorType(status: number, code?: string | null): string {
  if (code && ANTHROPIC_KNOWN.has(code)) return code;
  return ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** Anthropic's error body as an object. */
export function anthropicError(type: string, message: string): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type, message } };
}

/** OpenAI's error type for an Anthropic one: the same name where both have it, else by status. */
export function openAIErrorTypeFor(anthropicType: string, status: number): string {
  return SHARED_TYPES.has(anthropicType) ? anthropicType : errorTypeForStatus(status);
}

/** OpenAI's error body for an Anthropic one; Anthropic's type is kept as `code`. */
export function anthropicErrorToOpenAI(status: number, body: Uint8Array): Uint8Array {
  const parsed = AnthropicErrorSchema.safeParse(parseErrorJson(body));
  if (!parsed.success) return openAIErrorBody(status, { message: errorText(status, body) });
  const { type, message } = parsed.data.error;
  return openAIErrorBody(status, { message, type: openAIErrorTypeFor(type, status), code: type });
}

/** Anthropic's error body for an OpenAI one (or for any body, read as text). */
export function openAIErrorToAnthropic(status: number, body: Uint8Array): Uint8Array {
  const error = (parseErrorJson(body) as { error?: { message?: unknown; type?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : errorText(status, body);
  const shared = typeof error?.type === 'string' && SHARED_TYPES.has(error.type) ? error.type : undefined;
  const type = ANTHROPIC_TYPES[status] ?? shared ?? anthropicErrorType(status);
  return encoder.encode(JSON.stringify(anthropicError(type, message)));
}
