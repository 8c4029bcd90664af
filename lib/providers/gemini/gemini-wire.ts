/**
 * Google's Generative Language API (Gemini) wire format: the fields the converters
 * read, as loose zod schemas (unknown fields are kept).
 *
 * @see https://ai.google.dev/api/generate-content
 * @see https://ai.google.dev/api/embeddings#method:-models.batchembedcontents
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** One part of a content: text, inline data, a function call or its response. */
export const PartSchema = z.looseObject({
  text: z.string().optional(),
  /** True on a thinking model's thought summaries, which are not the answer. */
  thought: z.boolean().optional(),
  /** Opaque; Gemini 3 wants it back with the function call it came with. */
  thoughtSignature: z.string().optional(),
  functionCall: z.looseObject({ id: z.string().optional(), name: z.string(), args: z.record(z.string(), z.unknown()).optional() }).optional(),
});
export type Part = z.infer<typeof PartSchema>;

/** One candidate answer. */
export const CandidateSchema = z.looseObject({
  index: z.number().int().nonnegative().optional(),
  content: z.looseObject({ role: z.string().optional(), parts: z.array(PartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

/** Token counts; thinking tokens apart from the candidates'. */
export const UsageMetadataSchema = z.looseObject({
  promptTokenCount: count.optional(),
  candidatesTokenCount: count.optional(),
  thoughtsTokenCount: count.optional(),
  cachedContentTokenCount: count.optional(),
});
export type UsageMetadata = z.infer<typeof UsageMetadataSchema>;

/** The answer of `generateContent`, and each event of `streamGenerateContent`. */
export const GenerateContentResponseSchema = z.looseObject({
  candidates: z.array(CandidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: UsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  /** Some errors arrive inside a 200 stream. */
  error: z.looseObject({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional() }).optional(),
});
export type GenerateContentResponse = z.infer<typeof GenerateContentResponseSchema>;

/** The answer of `batchEmbedContents`. */
export const BatchEmbedResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});

/** Google's error body (the stream endpoints send it inside an array). */
export const GeminiErrorSchema = z.looseObject({
  error: z.looseObject({ code: z.number().optional(), message: z.string(), status: z.string().optional() }),
});
