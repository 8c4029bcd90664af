/**
 * An operation served over a provider's chat handler: the client's request becomes a chat
 * request, which the provider's own chat handler turns into its wire format (unchanged for
 * OpenAI-compatible providers, translated again for Anthropic, Gemini or Ollama); its
 * answer, stream events and errors come back through chat's, then into the client's format.
 * `/v1/messages` and `/v1/responses` are served this way wherever a provider lacks them.
 */
import type { CallInput, OperationHandler, SseEvent, StreamConverter } from '../providers/types.js';

const encoder = new TextEncoder();

/** What an operation's translation to and from chat is. */
export interface ChatTranslation {
  /**
   * The chat body for a client's input.
   * @throws GatewayError 400 for what chat cannot express
   */
  toChat(input: CallInput): Record<string, unknown>;
  /** The client's answer from a chat completion's bytes. */
  fromChat(input: CallInput, chatAnswer: Uint8Array): Uint8Array;
  /** A converter from chat stream events to the client's. */
  streamFromChat(input: CallInput): StreamConverter;
  /** The client's error body from an OpenAI-shaped one; absent when the client reads OpenAI's. */
  errorFromChat?(status: number, body: Uint8Array): Uint8Array | undefined;
}

/** Runs `inner`'s events (if any) through `outer`, as one converter. */
function pipe(inner: StreamConverter | undefined, outer: StreamConverter): StreamConverter {
  const through = (events: SseEvent[]) => events.flatMap((event) => outer.push(event));
  return {
    push: (event) => (inner ? through(inner.push(event)) : outer.push(event)),
    end: () => [...(inner ? through(inner.end()) : []), ...outer.end()],
  };
}

/** The handler for an operation translated over `chat`. */
export function overChat(chat: OperationHandler, translation: ChatTranslation): OperationHandler {
  // An attempt hands the same input to buildRequest and then to the answer's converters.
  const chatInputs = new WeakMap<CallInput, CallInput>();
  const chatInput = (input: CallInput): CallInput => {
    let converted = chatInputs.get(input);
    if (converted === undefined) {
      const body = translation.toChat(input);
      // The body goes as bytes, as handlers send `rawBody` unchanged.
      converted = { ...input, operation: 'chat', subpath: '/chat/completions', body, rawBody: encoder.encode(JSON.stringify(body)), modelChanged: false };
      chatInputs.set(input, converted);
    }
    return converted;
  };
  return {
    buildRequest: (input) => chat.buildRequest(chatInput(input)),
    convertResponse: (input, body) => translation.fromChat(input, chat.convertResponse?.(chatInput(input), body) ?? body),
    createStreamConverter: (input) => pipe(chat.createStreamConverter?.(chatInput(input)), translation.streamFromChat(input)),
    convertError(status, body, input) {
      const openAI = chat.convertError?.(status, body, chatInput(input)) ?? body;
      return translation.errorFromChat ? translation.errorFromChat(status, openAI) : openAI;
    },
    streamFraming: chat.streamFraming,
  };
}
