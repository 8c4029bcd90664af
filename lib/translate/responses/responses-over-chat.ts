/**
 * `POST /v1/responses` in front of every provider: translated over chat (see `over-chat.ts`)
 * for a provider that does not serve it, and for one that does, the client's request as it
 * is, except that a conversation continued from a response the provider did not make itself
 * (made elsewhere before a fallback, or by a provider that keeps nothing) is rebuilt from the
 * gateway's stored responses: its items go first in `input`, and `previous_response_id`,
 * which the provider would not know, is left out.
 *
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
import { responsesMode } from '../../providers/openai-compatible/provider.js';
import type { CallInput, OperationHandler, Provider, ResponsesTurn } from '../../providers/types.js';
import { overChat } from '../over-chat.js';
import { chatResponseToResponsesBytes } from './convert-chat-response-to-responses.js';
import { createChatToResponsesStreamConverter } from './chat-to-responses-stream-converter.js';
import { convertResponsesRequestToChat } from './convert-responses-request-to-chat.js';
import type { ResponseContext } from './response-object.js';
import { ResponsesRequestSchema, type ResponsesItem } from './responses-wire.js';

const encoder = new TextEncoder();

/** A turn for a request the gateway did not prepare (a direct call in a test). */
const NO_TURN: ResponsesTurn = { id: 'resp_unknown', createdAt: 0, history: [], stored: false };

function contextOf(input: CallInput): ResponseContext {
  const turn = input.turn ?? NO_TURN;
  const parsed = ResponsesRequestSchema.safeParse(input.body ?? {});
  // The answer says whether it was stored, which a request without a tenant is not.
  const request = { ...(parsed.success ? parsed.data : {}), store: turn.stored };
  return { id: turn.id, createdAt: turn.createdAt, model: input.model ?? '', request };
}

/** The Responses handler over a provider's chat handler. */
function translated(provider: Provider, chat: OperationHandler): OperationHandler {
  const name = provider.config.name;
  return overChat(chat, {
    toChat(input) {
      const history = (input.turn?.history ?? []) as ResponsesItem[];
      const body = convertResponsesRequestToChat(input.body, { model: input.model, stream: input.stream, maxTokensField: provider.maxTokensField ?? 'max_tokens', history });
      if (provider.reasons?.(input.model) === false) delete body.reasoning_effort;
      return body;
    },
    fromChat: (input, answer) => chatResponseToResponsesBytes(answer, contextOf(input), name),
    streamFromChat: (input) => createChatToResponsesStreamConverter(contextOf(input), name),
  });
}

/**
 * The provider's own Responses handler, with a conversation rebuilt when the provider cannot
 * continue it by id.
 * @param stateful whether the provider keeps the responses it makes
 */
function native(provider: Provider, handler: OperationHandler, stateful: boolean): OperationHandler {
  const name = provider.config.name;
  const rebuilt = (input: CallInput): CallInput => {
    const { turn, body } = input;
    if (turn?.previous === undefined || body === undefined) return input;
    if (stateful && turn.previous.native && turn.previous.provider === name) return input;
    const own = body.input;
    const items = typeof own === 'string' ? [{ type: 'message', role: 'user', content: own }] : Array.isArray(own) ? own : [];
    const { previous_response_id: _dropped, ...rest } = body;
    // Items another provider made carry ids this one never issued, and reasoning only its maker can read.
    const history = turn.history.filter((item) => item.type !== 'reasoning').map(({ id: _id, ...item }) => item);
    const rewritten = { ...rest, model: input.model, input: [...history, ...items] };
    return { ...input, body: rewritten, rawBody: encoder.encode(JSON.stringify(rewritten)), modelChanged: false };
  };
  return {
    ...handler,
    buildRequest: (input) => handler.buildRequest(rebuilt(input)),
  };
}

/**
 * The adapter with a `responses` handler: its own, made able to continue any conversation,
 * or one translated over its chat; an adapter that does neither is returned as it is.
 */
export function responsesOverChat(provider: Provider): Provider {
  const { chat, responses } = provider.operations;
  if (responses !== undefined) {
    return { ...provider, operations: { ...provider.operations, responses: native(provider, responses, responsesMode(provider.config) === 'native') } };
  }
  if (chat === undefined) return provider;
  return { ...provider, operations: { ...provider.operations, responses: translated(provider, chat) } };
}
