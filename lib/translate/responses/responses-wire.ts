/**
 * OpenAI's Responses API wire format: the request fields and items the translation reads,
 * as loose zod schemas (unknown fields are kept), and the shapes it writes back.
 *
 * @see https://platform.openai.com/docs/api-reference/responses/create
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { z } from 'zod';

/** One content part of an input message: `input_text`, `input_image`, `input_file`, or an assistant's `output_text` / `refusal`. */
export const ResponsesContentPartSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  refusal: z.string().optional(),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  file_data: z.string().optional(),
  file_url: z.string().optional(),
  filename: z.string().optional(),
  detail: z.string().optional(),
});
export type ResponsesContentPart = z.infer<typeof ResponsesContentPartSchema>;

/**
 * One input (or stored output) item: a `message` (with or without `type`), a
 * `function_call`, a `function_call_output`, a `reasoning` item, an `item_reference`, or a
 * built-in tool's call, which the translation refuses by name.
 */
export const ResponsesItemSchema = z.looseObject({
  type: z.string().optional(),
  id: z.string().optional(),
  role: z.string().optional(),
  content: z.union([z.string(), z.array(ResponsesContentPartSchema)]).nullish(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  /** A function call's namespace, for a function of a `namespace` tool. */
  namespace: z.string().optional(),
  arguments: z.string().optional(),
  input: z.string().optional(),
  output: z.union([z.string(), z.array(ResponsesContentPartSchema)]).optional(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).optional(),
  status: z.string().nullish(),
});
export type ResponsesItem = z.infer<typeof ResponsesItemSchema>;

/** A function tool (flat: `name`, `parameters`, `strict`), or any other tool by its `type`. */
const FunctionToolSchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

/** One tool: `function`, `namespace` (functions grouped under a name, as Codex sends), `custom`, or a built-in tool. */
export const ResponsesToolSchema = FunctionToolSchema.extend({ tools: z.array(FunctionToolSchema).optional() });
export type ResponsesTool = z.infer<typeof ResponsesToolSchema>;

/** `text.format`: `text`, `json_schema` (flat: `name`, `schema`, `strict`) or `json_object`. */
export const TextFormatSchema = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullish(),
  description: z.string().optional(),
});

/** A Responses request, as far as the translation reads it. */
export const ResponsesRequestSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(ResponsesItemSchema)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(ResponsesToolSchema).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string(), name: z.string().optional(), namespace: z.string().optional() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: TextFormatSchema.optional() }).nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  previous_response_id: z.string().nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;

/** Token counts of a response, as the Responses API reports them. */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** An output item the translation writes: a message, a function call or a reasoning summary. */
export type ResponsesOutputItem = Record<string, unknown> & { type: 'message' | 'function_call' | 'reasoning'; id: string };
