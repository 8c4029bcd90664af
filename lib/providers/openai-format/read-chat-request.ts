/**
 * Reads a chat completions request for a dialect that translates it: the schema check,
 * then the legacy functions API in tools terms.
 */
import { parseClientBody } from '../parse-wire.js';
import { ChatRequestSchema, type ChatRequest } from './chat-wire.js';
import { withToolsForFunctions } from './legacy-functions.js';

/**
 * The checked request.
 * @throws GatewayError 400 for a body that is not a chat request, naming the field
 */
export function readChatRequest(body: Record<string, unknown> | undefined): ChatRequest {
  return withToolsForFunctions(parseClientBody(ChatRequestSchema, body ?? {}, 'chat completions'));
}
