/**
 * Ollama's native API wire format: the fields the converters read, as loose zod
 * schemas (unknown fields are kept).
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** One tool call; Ollama sends `arguments` as an object, not as JSON text. */
export const OllamaToolCallSchema = z.looseObject({
  id: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.record(z.string(), z.unknown()).optional() }),
});

/** The answer of `/api/chat`, and each line of its NDJSON stream. */
export const OllamaChatResponseSchema = z.looseObject({
  model: z.string().optional(),
  created_at: z.string().optional(),
  message: z
    .looseObject({ role: z.string().optional(), content: z.string().optional(), thinking: z.string().optional(), tool_calls: z.array(OllamaToolCallSchema).nullish() })
    .optional(),
  done: z.boolean().optional(),
  done_reason: z.string().optional(),
  prompt_eval_count: count.optional(),
  eval_count: count.optional(),
  /** An error that happened after the stream began. */
  error: z.string().optional(),
});
export type OllamaChatResponse = z.infer<typeof OllamaChatResponseSchema>;

/** The answer of `/api/embed`. */
export const OllamaEmbedResponseSchema = z.looseObject({
  model: z.string().optional(),
  embeddings: z.array(z.array(z.number())),
  prompt_eval_count: count.optional(),
});

/** Ollama's error body. */
export const OllamaErrorSchema = z.looseObject({ error: z.string() });
