/**
 * Google's error body, `{"error":{"code","message","status"}}` (an array of one such
 * object on the stream endpoints), to OpenAI's error shape; Google's `status`
 * (`INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`…) is kept as `code`.
 *
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
import { errorText, openAIErrorBody, parseErrorJson } from '../openai-format/openai-error-body.js';
import { GeminiErrorSchema } from './gemini-wire.js';

/** OpenAI's error body for a Gemini one. */
export function convertGeminiError(status: number, body: Uint8Array): Uint8Array {
  const json = parseErrorJson(body);
  const parsed = GeminiErrorSchema.safeParse(Array.isArray(json) ? json[0] : json);
  if (!parsed.success) return openAIErrorBody(status, { message: errorText(status, body) });
  const { message, status: code } = parsed.data.error;
  return openAIErrorBody(status, { message, code: code ?? null });
}
