/**
 * An OpenAI chat completions request to an Anthropic Messages request. Anthropic
 * refuses fields it does not know, so the body is built from the fields that have a
 * counterpart; OpenAI-only sampling fields (penalties, seed, logprobs…) are left out.
 *
 * @see https://docs.anthropic.com/en/api/messages
 * @see https://docs.anthropic.com/en/api/openai-sdk#important-openai-compatibility-limitations
 */
import { badRequest } from '../../errors.js';
import { ChatRequestSchema } from '../openai-format/chat-wire.js';
import { parseClientBody } from '../parse-wire.js';
import { toolChoiceToAnthropic, toolsToAnthropic } from './convert-anthropic-tools.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/**
 * `max_tokens` when the client sets none: Anthropic requires one, and 4096 is within
 * every current Claude model's output limit.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * Converts the body.
 * @param model this attempt's model
 * @param stream whether to ask for a stream
 * @throws GatewayError 400 for a body that is not a chat request, `n` above 1, or what
 *   {@link convertToAnthropicMessages} refuses
 */
export function convertToAnthropicRequest(
  body: Record<string, unknown> | undefined,
  model: string | undefined,
  stream: boolean,
  provider: string,
): Record<string, unknown> {
  const request = parseClientBody(ChatRequestSchema, body ?? {}, 'chat completions');
  if ((request.n ?? 1) > 1) throw badRequest(`Provider ${provider} answers one choice per request; n must be 1`, 'n', 'unsupported_parameter');
  const { system, messages } = convertToAnthropicMessages(request.messages, provider);
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  const converted: Record<string, unknown> = {
    model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    ...(system === undefined ? {} : { system }),
    messages,
  };
  if (stop.length > 0) converted.stop_sequences = stop;
  if (typeof request.temperature === 'number') converted.temperature = request.temperature;
  if (typeof request.top_p === 'number') converted.top_p = request.top_p;
  if (request.tools && request.tools.length > 0) converted.tools = toolsToAnthropic(request.tools);
  const toolChoice = toolChoiceToAnthropic(request.tool_choice, request.parallel_tool_calls);
  if (toolChoice && converted.tools) converted.tool_choice = toolChoice;
  if (request.user) converted.metadata = { user_id: request.user };
  if (stream) converted.stream = true;
  return converted;
}
