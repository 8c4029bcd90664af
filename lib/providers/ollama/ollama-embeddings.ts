/**
 * OpenAI embeddings through Ollama's `/api/embed`, which takes every input at once.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings
 */
import { embeddingsList, type EmbeddingsRequest } from '../openai-format/embeddings.js';
import { parseUpstreamJson } from '../parse-wire.js';
import { OllamaEmbedResponseSchema } from './ollama-wire.js';

/** The `/api/embed` body for `request`. */
export function convertToOllamaEmbeddings(request: EmbeddingsRequest, model: string | undefined): Record<string, unknown> {
  return { model, input: request.inputs, ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }) };
}

/**
 * OpenAI's embeddings list for Ollama's answer.
 * @throws GatewayError 502 when the body is not an `/api/embed` answer
 */
export function convertOllamaEmbeddings(raw: Uint8Array, request: EmbeddingsRequest, model: string | undefined, provider: string): Uint8Array {
  const answer = parseUpstreamJson(OllamaEmbedResponseSchema, raw, provider);
  return embeddingsList(answer.embeddings, answer.model ?? model ?? '', request.base64, answer.prompt_eval_count);
}
