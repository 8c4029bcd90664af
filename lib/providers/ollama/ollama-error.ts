/**
 * Ollama's error body, `{"error":"…"}`, to OpenAI's error shape with Ollama's status.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#errors
 */
import { errorText, openAIErrorBody, parseErrorJson } from '../openai-format/openai-error-body.js';
import { OllamaErrorSchema } from './ollama-wire.js';

/** OpenAI's error body for an Ollama one. */
export function convertOllamaError(status: number, body: Uint8Array): Uint8Array {
  const parsed = OllamaErrorSchema.safeParse(parseErrorJson(body));
  return openAIErrorBody(status, { message: parsed.success ? parsed.data.error : errorText(status, body) });
}
