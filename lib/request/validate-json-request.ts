/**
 * Checks the few body fields the gateway itself uses: `model` (unless every chain entry
 * names one), `messages` for chat and Messages requests (token counts too), and `stream`. Everything else
 * is the provider's to judge and goes on untouched.
 */
import { badRequest } from '../errors.js';
import type { Operation } from '../providers/types.js';
import type { ChainEntry } from '../routing/parse-chain.js';

/**
 * Decides whether the answer streams.
 * @param accept the client's `Accept` header
 * @throws GatewayError 400 with `param` naming the field at fault
 */
export function validateJsonRequest(
  operation: Operation,
  body: Record<string, unknown>,
  chain: readonly ChainEntry[],
  accept: string | undefined,
): { stream: boolean } {
  const { model } = body;
  if (chain.some((entry) => entry.model === undefined) && (typeof model !== 'string' || model.trim() === '')) {
    throw badRequest('`model` must be a non-empty string', 'model', 'invalid_model');
  }
  if (operation === 'chat' || operation === 'messages' || operation === 'count_tokens') {
    const { messages } = body;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw badRequest('`messages` must be a non-empty array', 'messages', 'invalid_messages');
    }
  }
  const { stream } = body;
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    throw badRequest('`stream` must be a boolean', 'stream', 'invalid_stream');
  }
  if (operation === 'embeddings' || operation === 'count_tokens') return { stream: false };
  return { stream: stream === true || (stream !== false && accept?.includes('text/event-stream') === true) };
}
