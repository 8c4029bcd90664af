/**
 * `POST /v1/messages` in front of every provider that speaks chat but not Messages: the
 * Anthropic request becomes a chat request, which the provider's own adapter then turns
 * into its wire format (unchanged for OpenAI-compatible providers, translated again for
 * Gemini or Ollama); its answer, stream and errors come back the same way in reverse.
 * Applied to every adapter by the registry, so that no provider needs code of its own.
 */
import { openAIErrorToAnthropic } from '../providers/anthropic/anthropic-error.js';
import type { CallInput, Provider, SseEvent, StreamConverter } from '../providers/types.js';
import { createChatToMessagesStreamConverter } from './chat-to-messages-stream-converter.js';
import { convertChatResponseToMessages } from './convert-chat-response-to-messages.js';
import { convertMessagesRequestToChat } from './convert-messages-request-to-chat.js';

const encoder = new TextEncoder();

/** The chat input for a Messages input; the body goes as bytes, as adapters send `rawBody` unchanged. */
function chatInputFor(input: CallInput, provider: Provider): CallInput {
  const body = convertMessagesRequestToChat(input.body, input.model, input.stream, provider.maxTokensField, provider.reasoningInHistory);
  // Claude Code asks for thinking on every request; a model that does not reason would refuse it.
  if (provider.reasons?.(input.model) === false) delete body.reasoning_effort;
  return { ...input, operation: 'chat', subpath: '/chat/completions', body, rawBody: encoder.encode(JSON.stringify(body)), modelChanged: false };
}

/** Runs `inner`'s events (if any) through `outer`, as one converter. */
function chain(inner: StreamConverter | undefined, outer: StreamConverter): StreamConverter {
  const through = (events: SseEvent[]) => events.flatMap((event) => outer.push(event));
  return {
    push: (event) => (inner ? through(inner.push(event)) : outer.push(event)),
    end: () => [...(inner ? through(inner.end()) : []), ...outer.end()],
  };
}

/**
 * The adapter with `messages` added on top of its `chat`; an adapter that already speaks
 * Messages, or does not chat, is returned as it is.
 */
export function messagesOverChat(provider: Provider): Provider {
  if (provider.supports('messages') || !provider.supports('chat')) return provider;
  const name = provider.config.name;
  // An attempt hands the same input to buildRequest and then to the answer's converters.
  const chatInputs = new WeakMap<CallInput, CallInput>();
  const chatInput = (input: CallInput): CallInput => {
    let chat = chatInputs.get(input);
    if (chat === undefined) {
      chat = chatInputFor(input, provider);
      chatInputs.set(input, chat);
    }
    return chat;
  };
  const isMessages = (input: CallInput | undefined): input is CallInput => input?.operation === 'messages';

  return {
    config: provider.config,
    forwardHeaders: provider.forwardHeaders,
    streamFraming: provider.streamFraming,
    maxTokensField: provider.maxTokensField,
    reasoningInHistory: provider.reasoningInHistory,
    reasons: provider.reasons,
    reasoningInHistory: provider.reasoningInHistory,
    supports: (operation) => operation === 'messages' || provider.supports(operation),
    buildRequest: (input) => provider.buildRequest(isMessages(input) ? chatInput(input) : input),
    convertResponse(input, body) {
      if (!isMessages(input)) return provider.convertResponse?.(input, body);
      const chat = chatInput(input);
      return convertChatResponseToMessages(provider.convertResponse?.(chat, body) ?? body, name, input.model);
    },
    createStreamConverter(input) {
      if (!isMessages(input)) return provider.createStreamConverter?.(input);
      return chain(provider.createStreamConverter?.(chatInput(input)), createChatToMessagesStreamConverter(name, input.model));
    },
    convertError(status, body, input) {
      if (!isMessages(input)) return provider.convertError?.(status, body, input);
      return openAIErrorToAnthropic(status, provider.convertError?.(status, body, chatInput(input)) ?? body);
    },
    buildModelsRequest: (apiKey) => provider.buildModelsRequest(apiKey),
    parseModels: (body) => provider.parseModels(body),
  };
}
