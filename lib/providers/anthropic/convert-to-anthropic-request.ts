/**
 * An OpenAI chat completions request to an Anthropic Messages request. Anthropic
 * refuses fields it does not know, so the body is built from the fields that have a
 * counterpart; OpenAI-only sampling fields (penalties, seed, logprobs…) are left out.
 *
 * @see https://docs.anthropic.com/en/api/messages
 * @see https://docs.anthropic.com/en/api/openai-sdk#important-openai-compatibility-limitations
 */
import { badRequest } from '../../errors.js';
import { readChatRequest } from '../openai-format/read-chat-request.js';
import { outputSettings } from './anthropic-output-settings.js';
import { toolChoiceToAnthropic, toolsToAnthropic } from './convert-anthropic-tools.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/**
 * `max_tokens` when the client sets none: Anthropic requires one, and 4096 is within
 * every current Claude model's output limit.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Stop sequences as Anthropic takes them: it refuses one that is only whitespace with a 400. */
function stopSequences(stop: string | string[] | null | undefined): string[] {
  const all = typeof stop === 'string' ? [stop] : (stop ?? []);
  return all.filter((sequence) => sequence.trim() !== '');
}

/** Whether the conversation ends in tool results answering the last assistant turn's tool calls. */
function inToolLoop(messages: ReturnType<typeof convertToAnthropicMessages>['messages']): boolean {
  const last = messages.at(-1);
  const previous = messages.at(-2);
  return last?.role === 'user' && last.content.some((block) => block.type === 'tool_result') && previous?.role === 'assistant' && previous.content.some((block) => block.type === 'tool_use');
}

/**
 * Converts the body.
 * @param model this attempt's model
 * @param stream whether to ask for a stream
 * @throws GatewayError 400 for a body that is not a chat request, `n` above 1, a
 *   `response_format` Anthropic cannot honour, or what {@link convertToAnthropicMessages} refuses
 */
export function convertToAnthropicRequest(
  body: Record<string, unknown> | undefined,
  model: string | undefined,
  stream: boolean,
  provider: string,
): Record<string, unknown> {
  const request = readChatRequest(body);
  if ((request.n ?? 1) > 1) throw badRequest(`Provider ${provider} answers one choice per request; n must be 1`, 'n', 'unsupported_parameter');
  const { system, messages } = convertToAnthropicMessages(request.messages, provider);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  const settings = outputSettings(request, maxTokens, provider);
  // Mid tool loop, Anthropic wants the assistant turn to start with the thinking block it
  // wrote, which a chat client cannot send back: thinking sits out until the loop ends.
  // https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#extended-thinking-with-tool-use
  if (settings.thinking && inToolLoop(messages)) {
    settings.maxTokens = maxTokens;
    delete settings.thinking;
  }
  const converted: Record<string, unknown> = {
    model,
    max_tokens: settings.maxTokens,
    ...(system === undefined ? {} : { system }),
    messages,
  };
  const stop = stopSequences(request.stop);
  if (stop.length > 0) converted.stop_sequences = stop;
  // Anthropic refuses a temperature other than 1 (and top_p below 0.95) while thinking.
  if (typeof request.temperature === 'number' && !settings.thinking) converted.temperature = request.temperature;
  if (typeof request.top_p === 'number' && !settings.thinking) converted.top_p = request.top_p;
  const tools = request.tools && request.tools.length > 0 ? toolsToAnthropic(request.tools) : [];
  if (settings.jsonTool) tools.push(settings.jsonTool);
  if (tools.length > 0) converted.tools = tools;
  const toolChoice = settings.jsonTool
    ? tools.length === 1 ? { type: 'tool', name: settings.jsonTool.name } : { type: 'any' }
    : toolChoiceToAnthropic(request.tool_choice, request.parallel_tool_calls);
  if (toolChoice && converted.tools) converted.tool_choice = toolChoice;
  if (settings.output_config) converted.output_config = settings.output_config;
  if (settings.thinking) converted.thinking = settings.thinking;
  if (request.user) converted.metadata = { user_id: request.user };
  if (stream) converted.stream = true;
  return converted;
}
