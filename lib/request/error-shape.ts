/**
 * Which shape the gateway's own errors take for a request: Anthropic's on the Messages
 * API (`/v1/messages`, `/v1/messages/count_tokens`, with or without a `/{provider}`
 * prefix), so that the Anthropic SDK and Claude Code read them; OpenAI's everywhere else.
 *
 * @see https://docs.anthropic.com/en/api/errors
 */
import { openAIErrorShape, type ErrorShape } from '../errors.js';
import { anthropicError, anthropicErrorType } from '../providers/anthropic/anthropic-error.js';

/** Anthropic's `{"type":"error","error":{type,message}}`, its type from the status (or the code, when it is one of Anthropic's). */
export const anthropicErrorShape: ErrorShape = (error) => anthropicError(anthropicErrorType(error.status, error.code), error.message);

const MESSAGES_PATH = /^(?:\/[^/]+)?\/v1\/messages(?:\/|$)/;

/**
 * The shape for a request path (without its query).
 * @param path the URL's path, e.g. `/openai/v1/messages`
 */
export function errorShapeFor(path: string): ErrorShape {
  return MESSAGES_PATH.test(path) ? anthropicErrorShape : openAIErrorShape;
}
