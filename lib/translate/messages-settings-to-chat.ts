/**
 * The Messages request settings that have a chat counterpart under another name:
 * `thinking` and `output_config.effort` as `reasoning_effort`, structured output
 * (`output_config.format`, or the beta's `output_format`) as `response_format`, and
 * `metadata.user_id` as `user`.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 * @see https://docs.anthropic.com/en/docs/build-with-claude/effort
 * @see https://docs.anthropic.com/en/docs/build-with-claude/structured-outputs
 * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-reasoning_effort
 */
import { createHash } from 'node:crypto';
import type { MessagesRequest } from '../providers/anthropic/anthropic-wire.js';

/** Anthropic's effort levels to OpenAI's `reasoning_effort`, which stops at `high`. */
const EFFORTS: Readonly<Record<string, string>> = { low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'high' };

/** OpenAI's effort for a thinking budget (tokens): the bounds Gemini's OpenAI API uses for the levels. */
function effortForBudget(budget: number): string {
  if (budget <= 1024) return 'low';
  return budget <= 8192 ? 'medium' : 'high';
}

/**
 * `reasoning_effort` for a Messages request: from `output_config.effort` when thinking is
 * on (`enabled` or `adaptive`) or the effort is set on its own, else from the budget; none
 * when thinking is off or unset and no effort is named.
 */
export function reasoningEffort(request: MessagesRequest): string | undefined {
  const effort = request.output_config?.effort;
  const type = request.thinking?.type;
  if (type === 'disabled') return undefined;
  if (effort) return EFFORTS[effort] ?? 'medium';
  if (type === 'enabled') return effortForBudget(request.thinking?.budget_tokens ?? 1024);
  return undefined;
}

/** `response_format` for the request's structured output, if it asks for one. */
export function responseFormat(request: MessagesRequest): Record<string, unknown> | undefined {
  const format = request.output_config?.format ?? request.output_format;
  if (!format) return undefined;
  if (format.type !== 'json_schema' || format.schema === undefined) return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } };
}

/** OpenAI's `user` holds at most 64 characters. */
const USER_MAX = 64;

/**
 * `metadata.user_id` as `user`: as it is when it fits, else its SHA-256 (64 hex
 * characters), which still tells one user from another. Claude Code's is a JSON object of
 * about 130 characters.
 */
export function chatUser(userId: string | null | undefined): string | undefined {
  if (!userId) return undefined;
  return userId.length <= USER_MAX ? userId : createHash('sha256').update(userId).digest('hex');
}
