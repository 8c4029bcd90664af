/**
 * Chat request settings that Anthropic takes under its own names:
 * - `response_format` `json_schema` as structured output, `output_config.format` (the schema
 *   prepared as Anthropic's SDKs do); `json_object`, and a schema that keeps an object open
 *   (which structured output cannot say), as a forced tool whose input the answer gives back
 *   as its content (see {@link JSON_TOOL});
 * - `reasoning_effort` as extended thinking with a token budget, `max_tokens` raised
 *   above the budget when it is not, since Anthropic wants the budget below it.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/structured-outputs
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 * @see https://docs.anthropic.com/en/docs/build-with-claude/tool-use/implement-tool-use#forcing-tool-use
 */
import { badRequest } from '../../errors.js';
import type { ChatRequest } from '../openai-format/chat-wire.js';
import { anthropicOutputSchema } from './anthropic-output-schema.js';

/** The tool a `json_object` answer is written through; its input becomes the message content. */
export const JSON_TOOL = 'json_response';

/** Thinking budgets (tokens) per effort: Anthropic's least (1024) for the low end. */
const BUDGETS: Readonly<Record<string, number>> = { minimal: 1024, low: 1024, medium: 4096, high: 16384, xhigh: 32768 };

const isObjectSchema = (schema: unknown): schema is Record<string, unknown> =>
  schema !== null && typeof schema === 'object' && (schema as { type?: unknown }).type === 'object';

const jsonTool = (schema: Record<string, unknown>) => ({ name: JSON_TOOL, description: 'Write the answer as a JSON object.', input_schema: schema });

/** What the settings add to an Anthropic body. */
export interface OutputSettings {
  output_config?: { format: { type: 'json_schema'; schema: unknown } };
  thinking?: { type: 'enabled'; budget_tokens: number };
  /** The forced tool of a `json_object` request, to add to `tools`. */
  jsonTool?: { name: string; description: string; input_schema: Record<string, unknown> };
  /** `max_tokens`, raised above the thinking budget when needed. */
  maxTokens: number;
}

/**
 * Reads the request's structured output and reasoning settings.
 * @param maxTokens the `max_tokens` the body would have otherwise
 * @throws GatewayError 400 for a `response_format` type Anthropic cannot honour, or a
 *   `json_schema` without its schema
 */
export function outputSettings(request: ChatRequest, maxTokens: number, provider: string): OutputSettings {
  const settings: OutputSettings = { maxTokens };
  const format = request.response_format;
  if (format?.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    if (schema === undefined) throw badRequest('response_format.json_schema.schema is required', 'response_format', 'invalid_response_format');
    const prepared = anthropicOutputSchema(schema);
    if (prepared) settings.output_config = { format: { type: 'json_schema', schema: prepared } };
    else if (isObjectSchema(schema)) settings.jsonTool = jsonTool(schema);
    else throw badRequest(`Provider ${provider} cannot honour this json_schema: its root must be an object`, 'response_format', 'unsupported_response_format');
  } else if (format?.type === 'json_object') {
    settings.jsonTool = jsonTool({ type: 'object' });
  } else if (format && format.type !== 'text') {
    throw badRequest(`Provider ${provider} cannot honour response_format of type "${format.type}"`, 'response_format', 'unsupported_response_format');
  }
  const budget = request.reasoning_effort ? BUDGETS[request.reasoning_effort] : undefined;
  // A forced tool and thinking do not go together on Anthropic; the JSON answer wins.
  if (budget !== undefined && !settings.jsonTool) {
    settings.thinking = { type: 'enabled', budget_tokens: budget };
    if (maxTokens <= budget) settings.maxTokens = budget + maxTokens;
  }
  return settings;
}

/** Whether a chat body's `response_format` goes through {@link JSON_TOOL}: `json_object`, or a schema with an open object. */
export function usesJsonTool(body: Record<string, unknown> | undefined): boolean {
  const format = body?.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | null | undefined;
  if (format?.type === 'json_object') return true;
  return format?.type === 'json_schema' && isObjectSchema(format.json_schema?.schema) && anthropicOutputSchema(format.json_schema?.schema) === undefined;
}
