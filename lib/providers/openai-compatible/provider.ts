/**
 * The one factory for every provider that speaks OpenAI's API: requests and answers
 * pass through unchanged, only the URL, the credential and (when a chain entry names
 * a model) the body's `model` change.
 *
 * @see https://platform.openai.com/docs/api-reference/chat
 */
import { clientBody } from '../client-request.js';
import { readModelList } from '../model-list.js';
import type { CallInput, ModelEntry, Provider, ProviderConfig, UpstreamRequest } from '../types.js';

/** Client headers OpenAI's API reads: organization, project and beta opt-ins. */
const OPENAI_HEADERS = ['openai-organization', 'openai-project', 'openai-beta'] as const;

/** Headers every OpenAI-style upstream request carries, with a Bearer key when one was chosen. */
export function openAIHeaders(input: CallInput, apiKeyHeader: (key: string) => Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { ...input.headers, 'accept-encoding': 'identity' };
  if (input.rawBody !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  if (input.stream) headers.accept = 'text/event-stream';
  if (input.apiKey !== undefined) Object.assign(headers, apiKeyHeader(input.apiKey));
  return headers;
}

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

/** The `Authorization: Bearer` header most OpenAI-style APIs take their key in. */
export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** Reads the entries of an OpenAI-style `{"data":[{"id":…}]}` models list. */
export function parseOpenAIModels(body: unknown): ModelEntry[] {
  return readModelList((body as { data?: unknown } | null)?.data, (model) => (typeof model.id === 'string' ? (model as ModelEntry) : undefined));
}

/** Creates the adapter for one OpenAI-compatible provider. */
export function createOpenAICompatibleProvider(config: ProviderConfig): Provider {
  const refused = refusedFields(config);
  return {
    config,
    forwardHeaders: OPENAI_HEADERS,
    streamFraming: 'sse',
    maxTokensField: maxTokensField(config),
    supports: (operation) => operation !== 'messages',
    buildRequest(input: CallInput): UpstreamRequest {
      return {
        url: config.baseURL + input.subpath,
        method: input.method,
        headers: openAIHeaders(input, bearer),
        body: clientBody(input, refused),
      };
    },
    buildModelsRequest(apiKey) {
      return {
        url: `${config.baseURL}/models`,
        method: 'GET',
        headers: apiKey === undefined ? { accept: 'application/json' } : { accept: 'application/json', ...bearer(apiKey) },
      };
    },
    parseModels: parseOpenAIModels,
  };
}
