/**
 * Reads one Gemini answer or stream event. Google sometimes sends an error inside a
 * 200 answer, and then as a JSON array of one error object
 * (`[{"error":{"code":429,"message":…,"status":"RESOURCE_EXHAUSTED"}}]`), as its stream
 * endpoints write errors: the array is read as its one element, so that the error is
 * seen for what it is.
 *
 * @see https://github.com/google-gemini/gemini-cli/issues/6454
 */
import { GatewayError } from '../../errors.js';
import { parseUpstreamJson } from '../parse-wire.js';
import { GenerateContentResponseSchema, type GenerateContentResponse } from './gemini-wire.js';

const utf8 = new TextDecoder();
const ARRAY_START = 0x5b;

/**
 * The answer, an array of one read as that one.
 * @throws GatewayError 502 when it is neither
 */
export function readGeminiResponse(raw: Uint8Array | string, provider: string): GenerateContentResponse {
  const isArray = typeof raw === 'string' ? raw.trimStart().startsWith('[') : raw[0] === ARRAY_START || utf8.decode(raw.subarray(0, 64)).trimStart().startsWith('[');
  if (!isArray) return parseUpstreamJson(GenerateContentResponseSchema, raw, provider);
  const [first] = parseUpstreamJson(GenerateContentResponseSchema.array().min(1), raw, provider);
  return first;
}

/**
 * The failure for an error that came inside a 200 answer: its own status and Google's
 * message, retried and fallen back on like that status outside a stream.
 */
export function errorInAnswer(error: NonNullable<GenerateContentResponse['error']>, provider: string): GatewayError {
  const status = error.code !== undefined && error.code >= 400 && error.code < 600 ? error.code : 502;
  return new GatewayError({
    status,
    message: error.message ?? `Provider ${provider} answered with an error`,
    code: error.status ?? 'upstream_error',
    provider,
    retryable: status === 408 || status === 429 || status >= 500,
  });
}
