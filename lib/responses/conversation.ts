/**
 * `previous_response_id`: the conversation before a request, rebuilt from the stored
 * responses it continues (each one's input items, then its output items, oldest first), so
 * that any provider can continue a conversation another provider started.
 */
import { GatewayError } from '../errors.js';
import type { ResponseRecord, ResponseStore } from './response-store.js';

/** The longest chain of responses followed back, against a cycle or a runaway conversation. */
const MAX_DEPTH = 1000;

/** OpenAI's 404 for a response id the tenant does not have. */
export function responseNotFound(id: string, param: string | null = null): GatewayError {
  return new GatewayError({ status: 404, message: `Response with id '${id}' not found.`, type: 'invalid_request_error', param, code: 'response_not_found' });
}

/**
 * The stored responses `previousId` continues, oldest first.
 * @throws GatewayError 404 when it, or one it continues, is not stored for `tenant`
 */
export async function conversationOf(store: ResponseStore, tenant: string, previousId: string): Promise<ResponseRecord[]> {
  const chain: ResponseRecord[] = [];
  const seen = new Set<string>();
  for (let id: string | null = previousId; id !== null && chain.length < MAX_DEPTH && !seen.has(id); ) {
    seen.add(id);
    const record = await store.get(tenant, id);
    if (record === undefined && id === previousId) throw responseNotFound(id, 'previous_response_id');
    if (record === undefined) {
      throw new GatewayError({
        status: 404,
        message: `Response '${previousId}' continues '${id}', which is no longer stored (deleted or expired): the conversation cannot be rebuilt. Start a new one.`,
        type: 'invalid_request_error',
        param: 'previous_response_id',
        code: 'response_not_found',
      });
    }
    chain.push(record);
    id = record.previous_response_id;
  }
  return chain.reverse();
}

/** The items of a conversation, as a Responses input would hold them. */
export function historyItems(chain: readonly ResponseRecord[]): Record<string, unknown>[] {
  return chain.flatMap((record) => [...record.input, ...((record.response.output as Record<string, unknown>[] | undefined) ?? [])]);
}
