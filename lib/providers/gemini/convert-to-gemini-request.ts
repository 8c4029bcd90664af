/**
 * An OpenAI chat completions request to a Gemini `generateContent` body: the
 * conversation, `generationConfig` from the sampling fields, function declarations
 * from `tools` (their JSON Schema as `parametersJsonSchema`, which takes it whole) and
 * `toolConfig` from `tool_choice`. Fields without a Gemini counterpart are left out.
 *
 * @see https://ai.google.dev/api/generate-content#request-body
 * @see https://ai.google.dev/api/generate-content#generationconfig
 */
import { badRequest } from '../../errors.js';
import type { ChatRequest, Tool, ToolChoice } from '../openai-format/chat-wire.js';
import { readChatRequest } from '../openai-format/read-chat-request.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';

/**
 * Thinking budgets (tokens) per `reasoning_effort`, as Google's own OpenAI-compatible API
 * maps them; thoughts are asked for, to come back as `reasoning_content`.
 * @see https://ai.google.dev/gemini-api/docs/openai#thinking
 */
const THINKING_BUDGETS: Readonly<Record<string, number>> = { none: 0, minimal: 1024, low: 1024, medium: 8192, high: 24576, xhigh: 24576 };

function thinkingConfig(effort: string): Record<string, unknown> {
  const budget = THINKING_BUDGETS[effort];
  if (budget === undefined) throw badRequest(`Unknown reasoning_effort "${effort}"`, 'reasoning_effort', 'invalid_reasoning_effort');
  return budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
}

function generationConfig(request: ChatRequest): Record<string, unknown> {
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  const config: Record<string, unknown> = {
    temperature: request.temperature,
    topP: request.top_p,
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens,
    stopSequences: stop.length > 0 ? stop : undefined,
    candidateCount: request.n,
    presencePenalty: request.presence_penalty,
    frequencyPenalty: request.frequency_penalty,
    seed: request.seed,
  };
  const format = request.response_format;
  if (format?.type === 'json_object' || format?.type === 'json_schema') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema' && format.json_schema?.schema !== undefined) config.responseJsonSchema = format.json_schema.schema;
  if (format && !['text', 'json_object', 'json_schema'].includes(format.type)) {
    throw badRequest(`Gemini cannot honour response_format of type "${format.type}"`, 'response_format', 'unsupported_response_format');
  }
  if (request.reasoning_effort) config.thinkingConfig = thinkingConfig(request.reasoning_effort);
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined && value !== null));
}

function functionDeclarations(tools: readonly Tool[]): Array<Record<string, unknown>> {
  return tools.map((tool) => {
    if (tool.type !== 'function') throw badRequest(`Tools of type "${tool.type}" cannot be translated; use function tools`, 'tools', 'unsupported_tool');
    const { name, description, parameters } = tool.function;
    return { name, ...(description ? { description } : {}), ...(parameters ? { parametersJsonSchema: parameters } : {}) };
  });
}

const MODES: Readonly<Record<string, string>> = { auto: 'AUTO', required: 'ANY', none: 'NONE' };

function toolConfig(choice: ToolChoice): Record<string, unknown> {
  if (typeof choice !== 'string') return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  const mode = MODES[choice];
  if (!mode) throw badRequest(`Unknown tool_choice "${choice}"`, 'tool_choice', 'invalid_tool_choice');
  return { functionCallingConfig: { mode } };
}

/**
 * Converts the body.
 * @throws GatewayError 400 for a body that is not a chat request, or what
 *   {@link convertToGeminiContents} refuses
 */
export function convertToGeminiRequest(body: Record<string, unknown> | undefined, provider: string): Record<string, unknown> {
  const request = readChatRequest(body);
  const converted: Record<string, unknown> = { ...convertToGeminiContents(request.messages, provider) };
  const config = generationConfig(request);
  if (Object.keys(config).length > 0) converted.generationConfig = config;
  if (request.tools && request.tools.length > 0) {
    converted.tools = [{ functionDeclarations: functionDeclarations(request.tools) }];
    if (request.tool_choice) converted.toolConfig = toolConfig(request.tool_choice);
  }
  return converted;
}
