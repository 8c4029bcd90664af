/**
 * `POST /v1/messages` in front of every provider that speaks chat but not Messages: the
 * Anthropic request becomes a chat request and the answer, its events and errors come back
 * in Anthropic's format (see `over-chat.ts`). Applied to every adapter by the registry, so
 * that no provider needs code of its own.
 */
import { openAIErrorToAnthropic } from '../providers/anthropic/anthropic-error.js';
import type { OperationHandler, Provider } from '../providers/types.js';
import { createChatToMessagesStreamConverter } from './chat-to-messages-stream-converter.js';
import { convertChatResponseToMessages } from './convert-chat-response-to-messages.js';
import { convertMessagesRequestToChat } from './convert-messages-request-to-chat.js';
import { overChat } from './over-chat.js';

/** The Messages handler over a provider's chat handler. */
function messagesHandler(provider: Provider, chat: OperationHandler): OperationHandler {
  const name = provider.config.name;
  return overChat(chat, {
    toChat(input) {
      const body = convertMessagesRequestToChat(input.body, input.model, input.stream, provider.maxTokensField, provider.reasoningInHistory);
      // Claude Code asks for thinking on every request; a model that does not reason would refuse it.
      if (provider.reasons?.(input.model) === false) delete body.reasoning_effort;
      return body;
    },
    fromChat: (input, answer) => convertChatResponseToMessages(answer, name, input.model),
    streamFromChat: (input) => createChatToMessagesStreamConverter(name, input.model),
    errorFromChat: (status, body) => openAIErrorToAnthropic(status, body),
  });
}

/**
 * The adapter with `messages` added over its `chat`; an adapter that already speaks
 * Messages, or does not chat, is returned as it is.
 */
export function messagesOverChat(provider: Provider): Provider {
  const { chat } = provider.operations;
  if (provider.operations.messages !== undefined || chat === undefined) return provider;
  return { ...provider, operations: { ...provider.operations, messages: messagesHandler(provider, chat) } };
}
