/**
 * OpenAI's error body, for the translated dialects' `convertError`: the provider's
 * message, with OpenAI's `type` for the status and the provider's own code kept.
 *
 * @see https://platform.openai.com/docs/guides/error-codes
 */
import { errorTypeForStatus } from '../../errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a provider said about its error. */
export interface ProviderError {
  message: string;
  /** OpenAI's error type; derived from the status when absent. */
  type?: string;
  code?: string | null;
  param?: string | null;
}

/** `{"error":{message,type,code,param}}` as bytes. */
export function openAIErrorBody(status: number, error: ProviderError): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      error: { message: error.message, type: error.type ?? errorTypeForStatus(status), code: error.code ?? null, param: error.param ?? null },
    }),
  );
}

/** The body as JSON, or undefined when it is not JSON (an HTML error page, say). */
export function parseErrorJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(body));
  } catch {
    return undefined;
  }
}

/** The body's text, cut to a readable length, as the message of an error that is not JSON. */
export function errorText(status: number, body: Uint8Array): string {
  const text = decoder.decode(body).trim().slice(0, 500);
  return text === '' ? `Upstream answered ${status}` : text;
}
