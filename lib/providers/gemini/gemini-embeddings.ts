/**
 * OpenAI embeddings through Gemini's `batchEmbedContents`: one request per input, the
 * answer's vectors in input order. Gemini reports no token counts for embeddings.
 *
 * @see https://ai.google.dev/api/embeddings#method:-models.batchembedcontents
 */
import { embeddingsList, type EmbeddingsRequest } from '../openai-format/embeddings.js';
import { parseUpstreamJson } from '../parse-wire.js';
import { BatchEmbedResponseSchema } from './gemini-wire.js';

/** The `batchEmbedContents` body for `request`. */
export function convertToGeminiEmbeddings(request: EmbeddingsRequest, model: string): Record<string, unknown> {
  return {
    requests: request.inputs.map((text) => ({
      model: `models/${model}`,
      content: { parts: [{ text }] },
      ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
    })),
  };
}

/**
 * OpenAI's embeddings list for Gemini's answer.
 * @throws GatewayError 502 when the body is not a `batchEmbedContents` answer
 */
export function convertGeminiEmbeddings(raw: Uint8Array, request: EmbeddingsRequest, model: string, provider: string): Uint8Array {
  const { embeddings } = parseUpstreamJson(BatchEmbedResponseSchema, raw, provider);
  return embeddingsList(embeddings.map((embedding) => embedding.values), model, request.base64);
}
