/**
 * Anthropic's Messages API wire format: the fields the converters read, as loose zod
 * schemas (unknown fields are kept). Used both ways: for the anthropic provider's
 * answers, and for Messages requests the gateway translates to other providers.
 *
 * @see https://docs.anthropic.com/en/api/messages
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

/** An image or document source: inline base64, or a URL Anthropic fetches. */
export const SourceSchema = z.looseObject({
  type: z.string(),
  media_type: z.string().optional(),
  data: z.string().optional(),
  url: z.string().optional(),
});

/** The blocks of a tool result's content (text, images, documents). */
const ToolResultBlockSchema = z.looseObject({ type: z.string(), text: z.string().optional(), source: SourceSchema.optional(), title: z.string().nullish() });

/** One content block of a message: text, image, tool_use, tool_result, thinking… */
export const BlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  source: SourceSchema.optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  tool_use_id: z.string().optional(),
  content: z.union([z.string(), z.array(ToolResultBlockSchema)]).optional(),
  is_error: z.boolean().optional(),
  /** A `thinking` block's text, and its signature (`thinking` and `redacted_thinking`). */
  thinking: z.string().optional(),
  signature: z.string().optional(),
  /** A `document` block's title. */
  title: z.string().nullish(),
});
export type Block = z.infer<typeof BlockSchema>;

/** One message of a request: `user`, `assistant` or (in today's API) `system`, text or blocks. */
export const MessageParamSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(BlockSchema)]),
});
export type MessageParam = z.infer<typeof MessageParamSchema>;

/** One tool of a request. */
export const AnthropicToolSchema = z.looseObject({
  /** Absent or `custom` for client tools; server tools (web search…) carry their own type. */
  type: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});
export type AnthropicTool = z.infer<typeof AnthropicToolSchema>;

/** `tool_choice`: `auto`, `any`, `tool` (with `name`) or `none`. */
export const AnthropicToolChoiceSchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});
export type AnthropicToolChoice = z.infer<typeof AnthropicToolChoiceSchema>;

/**
 * Structured output: `{"type":"json_schema","schema":{…}}`.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/structured-outputs
 */
export const OutputFormatSchema = z.looseObject({ type: z.string(), schema: z.record(z.string(), z.unknown()).optional() });

/** A Messages request, as a client sends it. */
export const MessagesRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(MessageParamSchema).min(1),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string() }))]).optional(),
  max_tokens: count,
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  stream: z.boolean().optional(),
  tools: z.array(AnthropicToolSchema).optional(),
  tool_choice: AnthropicToolChoiceSchema.optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  /** `enabled` (with `budget_tokens`), `adaptive` or `disabled`. */
  thinking: z.looseObject({ type: z.string(), budget_tokens: z.number().optional() }).nullish(),
  /** `effort` (`low` to `max`) and `format` (structured output). */
  output_config: z.looseObject({ effort: z.string().nullish(), format: OutputFormatSchema.nullish() }).nullish(),
  /** The structured-outputs beta's name for `output_config.format`. */
  output_format: OutputFormatSchema.nullish(),
});
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;

/** Anthropic's `usage`; the cache counts are part of the input. */
export const AnthropicUsageSchema = z.looseObject({
  input_tokens: count.nullish(),
  output_tokens: count.nullish(),
  cache_creation_input_tokens: count.nullish(),
  cache_read_input_tokens: count.nullish(),
});
export type AnthropicUsage = z.infer<typeof AnthropicUsageSchema>;

/** A non-stream answer. */
export const MessageSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  content: z.array(BlockSchema),
  stop_reason: z.string().nullish(),
  usage: AnthropicUsageSchema.optional(),
});
export type Message = z.infer<typeof MessageSchema>;

/** One stream event; which fields are set depends on `type`. */
export const StreamEventSchema = z.looseObject({
  type: z.string(),
  message: MessageSchema.optional(),
  index: z.number().int().nonnegative().optional(),
  content_block: BlockSchema.optional(),
  delta: z
    .looseObject({
      type: z.string().optional(),
      text: z.string().optional(),
      partial_json: z.string().optional(),
      thinking: z.string().optional(),
      stop_reason: z.string().nullish(),
    })
    .optional(),
  usage: AnthropicUsageSchema.optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional(),
});
export type StreamEvent = z.infer<typeof StreamEventSchema>;

/** Anthropic's error body. */
export const AnthropicErrorSchema = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({ type: z.string(), message: z.string() }),
});
