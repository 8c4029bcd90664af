/**
 * OpenAI's embeddings format, for the dialects that translate it: the request's inputs
 * and the `list` answer, as floats or, when asked (the `openai` SDK asks by default),
 * as base64 little-endian float32.
 *
 * @see https://platform.openai.com/docs/api-reference/embeddings/create
 */
import { z } from 'zod';
import { parseClientBody } from '../parse-wire.js';

const EmbeddingsRequestSchema = z.looseObject({
  input: z.union([z.string(), z.array(z.string()).min(1)], { error: '`input` must be a string or an array of strings' }),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
});

/** The parts of an embeddings request a dialect needs. */
export interface EmbeddingsRequest {
  inputs: string[];
  /** Requested vector length, when the client set one. */
  dimensions?: number;
  base64: boolean;
}

/**
 * Reads an embeddings request.
 * @throws GatewayError 400 for token-array inputs (a translated provider takes text only) or bad fields
 */
export function readEmbeddingsRequest(body: Record<string, unknown> | undefined): EmbeddingsRequest {
  const parsed = parseClientBody(EmbeddingsRequestSchema, body ?? {}, 'embeddings');
  return {
    inputs: typeof parsed.input === 'string' ? [parsed.input] : parsed.input,
    dimensions: parsed.dimensions,
    base64: parsed.encoding_format === 'base64',
  };
}

function base64Floats(values: readonly number[]): string {
  const floats = Float32Array.from(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** The OpenAI `list` answer for `vectors`, in input order, as bytes. */
export function embeddingsList(vectors: readonly (readonly number[])[], model: string, base64: boolean, promptTokens = 0): Uint8Array {
  const list = {
    object: 'list',
    data: vectors.map((values, index) => ({ object: 'embedding', index, embedding: base64 ? base64Floats(values) : values })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  return new TextEncoder().encode(JSON.stringify(list));
}
