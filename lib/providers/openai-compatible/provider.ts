/**
 * The one factory for every provider that speaks OpenAI's API: requests and answers
 * pass through unchanged, only the URL, the credential and (when a chain entry names
 * a model) the body's `model` change.
 *
 * @see https://platform.openai.com/docs/api-reference/chat
 */
import { clientRequest } from '../client-request.js';
import { jsonGet } from '../json-request.js';
import { readModelList } from '../model-list.js';
import type { ModelEntry, OperationHandler, Provider, ProviderConfig } from '../types.js';
import { reasoningModels } from '../reasoning-models.js';

/** Client headers OpenAI's API reads: organization, project and beta opt-ins. */
const OPENAI_HEADERS = ['openai-organization', 'openai-project', 'openai-beta'] as const;

/**
 * Body fields the provider refuses: `stream_options` when its `<NAME>_STREAM_OPTIONS`
 * setting is `off` (a provider that answers it with 422 and reports stream usage
 * unasked, as Mistral does).
 */
export function refusedFields(config: ProviderConfig): readonly string[] {
  return config.settings.STREAM_OPTIONS === 'off' ? ['stream_options'] : [];
}

/** Where the provider takes the output token limit: its `<NAME>_MAX_TOKENS_FIELD` setting. */
export function maxTokensField(config: ProviderConfig): 'max_tokens' | 'max_completion_tokens' {
  return config.settings.MAX_TOKENS_FIELD === 'max_completion_tokens' ? 'max_completion_tokens' : 'max_tokens';
}

/**
 * The client headers the provider reads: OpenAI's, plus those its `<NAME>_FORWARD_HEADERS`
 * setting lists (OpenRouter's `HTTP-Referer` and `X-Title`).
 */
export function providerHeaders(config: ProviderConfig): readonly string[] {
  const extra = (config.settings.FORWARD_HEADERS ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  return extra.length === 0 ? OPENAI_HEADERS : [...OPENAI_HEADERS, ...extra];
}

/** The `Authorization: Bearer` header most OpenAI-style APIs take their key in. */
export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

const keyHeader = (key: string | undefined): Record<string, string> => (key === undefined ? {} : bearer(key));

/** Reads the entries of an OpenAI-style `{"data":[{"id":…}]}` models list. */
export function parseOpenAIModels(body: unknown): ModelEntry[] {
  return readModelList((body as { data?: unknown } | null)?.data, (model) => (typeof model.id === 'string' ? (model as ModelEntry) : undefined));
}

/**
 * Whether the provider serves `/responses` itself (`<NAME>_RESPONSES`): `native` (and keeps
 * the responses it makes, so a `previous_response_id` it made passes through), `stateless`
 * (serves it but keeps nothing: the gateway rebuilds conversations), or `translated` (the
 * gateway translates it over chat, the default for a provider that does not list it).
 */
export function responsesMode(config: ProviderConfig): 'native' | 'stateless' | 'translated' {
  const mode = config.settings.RESPONSES;
  return mode === 'native' || mode === 'stateless' ? mode : 'translated';
}

/** Creates the adapter for one OpenAI-compatible provider. */
export function createOpenAICompatibleProvider(config: ProviderConfig): Provider {
  const refused = refusedFields(config);
  // Every operation it serves is the client's own request, on its own path.
  const passthrough: OperationHandler = { buildRequest: (input) => clientRequest(config.baseURL + input.subpath, input, keyHeader(input.apiKey), refused) };
  return {
    config,
    forwardHeaders: providerHeaders(config),
    maxTokensField: maxTokensField(config),
    reasoningInHistory: config.settings.REASONING_HISTORY === 'on',
    reasons: reasoningModels(config.settings.REASONING_MODELS),
    // Messages (and its token count) come through the translation on top of chat; so do
    // Responses, unless the provider serves them itself.
    operations: {
      chat: passthrough,
      completions: passthrough,
      embeddings: passthrough,
      passthrough,
      ...(responsesMode(config) === 'translated' ? {} : { responses: passthrough }),
    },
    buildModelsRequest: (apiKey) => jsonGet(`${config.baseURL}/models`, keyHeader(apiKey)),
    parseModels: parseOpenAIModels,
  };
}
