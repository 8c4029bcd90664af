/**
 * OpenAI's chat completions wire format, the one every translated dialect converts to
 * and from: the fields the converters read, as loose zod schemas (unknown fields are
 * kept, so that a newer client or provider does not break them).
 *
 * @see https://platform.openai.com/docs/api-reference/chat
 */
import { z } from 'zod';

const text = z.string();

/** One part of a message's `content` array: `text`, `image_url`, or a type a dialect may refuse. */
export const ContentPartSchema = z.looseObject({
  type: z.string(),
  text: text.optional(),
  image_url: z.looseObject({ url: z.string(), detail: z.string().optional() }).optional(),
  /** Assistant refusals arrive as parts of their own. */
  refusal: text.optional(),
  /** A `file` part: a PDF or other document inline, as a `data:` URL in `file_data`. */
  file: z.looseObject({ filename: z.string().optional(), file_data: z.string().optional(), file_id: z.string().optional() }).optional(),
});
export type ContentPart = z.infer<typeof ContentPartSchema>;

/** A message's `content`: a string, parts, or null (assistant messages with tool calls). */
export const ContentSchema = z.union([text, z.array(ContentPartSchema)]).nullish();
export type Content = z.infer<typeof ContentSchema>;

/** One tool call of an assistant message or answer. */
export const ToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** One message: `system`, `developer`, `user`, `assistant` or `tool`. */
export const ChatMessageSchema = z.looseObject({
  role: z.string(),
  content: ContentSchema,
  name: z.string().optional(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  tool_call_id: z.string().optional(),
  refusal: z.string().nullish(),
  /** An assistant message's reasoning, as DeepSeek and vLLM take it back. */
  reasoning_content: z.string().nullish(),
  /** The legacy single function call of an assistant message (before `tool_calls`). */
  function_call: z.looseObject({ name: z.string(), arguments: z.string().optional() }).nullish(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** One tool; `function` is the only type the translations know. */
export const ToolSchema = z.looseObject({
  type: z.string(),
  function: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type Tool = z.infer<typeof ToolSchema>;

/** `auto`, `none`, `required`, or a named function. */
export const ToolChoiceSchema = z.union([
  z.string(),
  z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }) }),
]);
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

const count = z.number().int().nonnegative();

/** A chat completions request. */
export const ChatRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(ChatMessageSchema).min(1),
  max_tokens: count.nullish(),
  max_completion_tokens: count.nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  n: z.number().int().positive().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(ToolSchema).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  user: z.string().nullish(),
  response_format: z
    .looseObject({
      type: z.string(),
      json_schema: z.looseObject({ name: z.string().optional(), schema: z.unknown().optional(), strict: z.boolean().nullish() }).optional(),
    })
    .nullish(),
  /** `none`, `minimal`, `low`, `medium`, `high` (and `xhigh` on some models). */
  reasoning_effort: z.string().nullish(),
  /** The legacy functions API (before `tools`). */
  functions: z.array(z.looseObject({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() })).nullish(),
  function_call: z.union([z.string(), z.looseObject({ name: z.string() })]).nullish(),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

/** OpenAI's `usage` object. */
export const ChatUsageSchema = z.looseObject({
  prompt_tokens: count.optional(),
  completion_tokens: count.optional(),
  total_tokens: count.optional(),
  prompt_tokens_details: z.looseObject({ cached_tokens: count.nullish(), cache_write_tokens: count.nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: count.nullish() }).nullish(),
});
export type ChatUsage = z.infer<typeof ChatUsageSchema>;

/** A non-stream chat completion. */
export const ChatCompletionSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  created: z.number().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number().optional(),
      message: z.looseObject({
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        /** Reasoning text (DeepSeek, vLLM, OpenRouter's `reasoning`). */
        reasoning_content: z.string().nullish(),
        reasoning: z.string().nullish(),
        tool_calls: z.array(ToolCallSchema).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: ChatUsageSchema.nullish(),
});
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

/** One tool-call delta of a stream chunk: the first carries id and name, later ones argument text. */
export const ToolCallDeltaSchema = z.looseObject({
  index: z.number().int().nonnegative(),
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
export type ToolCallDelta = z.infer<typeof ToolCallDeltaSchema>;

/** One chat stream chunk, or the error object a server may put in its place. */
export const ChatChunkSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().optional(),
        delta: z
          .looseObject({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            reasoning: z.string().nullish(),
            tool_calls: z.array(ToolCallDeltaSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .optional(),
  usage: ChatUsageSchema.nullish(),
  error: z.looseObject({ message: z.string().optional(), type: z.string().nullish(), code: z.unknown() }).optional(),
});
export type ChatChunk = z.infer<typeof ChatChunkSchema>;

/** OpenAI's `finish_reason` values. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';
