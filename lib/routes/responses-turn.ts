/**
 * What `POST /v1/responses` adds around the chain (docs/api.md "Responses"): before it, the
 * tenant, the new response's id, and for a `previous_response_id` the conversation rebuilt
 * from the tenant's stored responses (an unknown or foreign id is a 404); after it, with
 * `store` not false, the answer stored before its last byte reaches the client (for a
 * stream, before its final event), so that the very next request can continue it.
 */
import type { Context } from 'hono';
import type { ChainOutcome } from '../chain/run-chain.js';
import type { StreamState } from '../formats/stream-format.js';
import type { ResponsesStreamState } from '../formats/responses-stream.js';
import type { Gateway, GatewayEnv } from '../gateway.js';
import { responsesMode } from '../providers/openai-compatible/provider.js';
import type { ResponsesTurn } from '../providers/types.js';
import { conversationOf, historyItems, responseNotFound } from '../responses/conversation.js';
import type { ResponseRecord } from '../responses/response-store.js';
import { tenantOf } from '../responses/tenant.js';
import { newItemId } from '../translate/responses/response-object.js';

/** One prepared request. */
export interface PreparedTurn {
  turn: ResponsesTurn;
  /** Undefined for a stranger without credentials: nothing is stored for it. */
  tenant: string | undefined;
  /** Whether the answer is stored (`store` is true unless the request says false). */
  store: boolean;
  /** This request's own input items, each with an id, as `input_items` lists them. */
  input: Record<string, unknown>[];
  previousId: string | null;
}

const ITEM_PREFIX: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs' };

/** The request's `input` as items, each with an id (a string input is one user message). */
function inputItems(input: unknown): Record<string, unknown>[] {
  const items = typeof input === 'string' ? [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }] : Array.isArray(input) ? input : [];
  return items.map((item: Record<string, unknown>) => {
    const type = typeof item.type === 'string' ? item.type : 'message';
    const prefix = ITEM_PREFIX[type] ?? 'item';
    return { ...item, type, id: typeof item.id === 'string' ? item.id : `${prefix}_${newItemId('msg').slice(4)}` };
  });
}

/**
 * Prepares a request: its tenant, its id, and the conversation it continues.
 * @throws GatewayError 404 (OpenAI's shape) for a `previous_response_id` the tenant does not have
 */
export async function prepareTurn(gateway: Gateway, c: Context<GatewayEnv>, body: Record<string, unknown>): Promise<PreparedTurn> {
  const tenant = tenantOf(c.get('grant')?.id, c.req.header(), gateway.isLocalClient((name) => c.req.header(name)));
  const previousId = typeof body.previous_response_id === 'string' && body.previous_response_id !== '' ? body.previous_response_id : null;
  if (previousId !== null && tenant === undefined) throw responseNotFound(previousId, 'previous_response_id');
  const chain = previousId === null || tenant === undefined ? [] : await conversationOf(gateway.responses, tenant, previousId);
  const last = chain.at(-1);
  const turn: ResponsesTurn = {
    id: newItemId('resp'),
    createdAt: Math.floor(Date.now() / 1000),
    history: historyItems(chain),
    stored: body.store !== false && tenant !== undefined,
    ...(last ? { previous: { id: last.id, provider: last.provider, native: last.native } } : {}),
  };
  return { turn, tenant, store: turn.stored, input: inputItems(body.input), previousId };
}

/** Whether `provider` keeps its own responses, so that it can continue them by id. */
function keepsItsOwn(gateway: Gateway, provider: string): boolean {
  const config = gateway.providers.get(provider)?.config;
  return config !== undefined && responsesMode(config) === 'native';
}

/** Stores one finished response; a store that fails is logged, and the client still gets its answer. */
async function put(gateway: Gateway, prepared: PreparedTurn, provider: string, response: Record<string, unknown> | undefined, requestId: string): Promise<void> {
  if (!prepared.store || prepared.tenant === undefined || response === undefined || typeof response.id !== 'string') return;
  const record: ResponseRecord = {
    id: response.id,
    tenant: prepared.tenant,
    created_at: typeof response.created_at === 'number' ? response.created_at : prepared.turn.createdAt,
    stored_at: Date.now(),
    provider,
    native: keepsItsOwn(gateway, provider) && response.id !== prepared.turn.id,
    previous_response_id: prepared.previousId,
    input: prepared.input,
    response,
  };
  try {
    await gateway.responses.put(record);
  } catch (error) {
    gateway.logger.log('warn', { msg: 'response not stored', request_id: requestId, response_id: record.id, error: (error as Error).message });
  }
}

/** Stores a non-stream answer (a 2xx JSON `response`), before it is sent. */
export async function storeAnswer(gateway: Gateway, prepared: PreparedTurn, outcome: ChainOutcome, requestId: string): Promise<void> {
  const { result } = outcome;
  if (result.kind !== 'answer' || result.status >= 300 || !(result.body instanceof Uint8Array)) return;
  let response: Record<string, unknown> | undefined;
  try {
    response = JSON.parse(Buffer.from(result.body).toString('utf8')) as Record<string, unknown>;
  } catch {
    return;
  }
  await put(gateway, prepared, outcome.provider, response, requestId);
}

/** The hook that stores a streamed response when its final event is about to go out. */
export function storeStreamed(gateway: Gateway, prepared: PreparedTurn, requestId: string): (state: StreamState, provider: string) => Promise<void> {
  return (state, provider) => put(gateway, prepared, provider, (state as ResponsesStreamState).response, requestId);
}
