/**
 * Anthropic's Messages API. Chat completions are translated (request out, answer and
 * stream back); `POST /v1/messages`, its `count_tokens` and every other path pass straight through to
 * Anthropic's own API root, `{base}/v1`. The key goes in `x-api-key`; the client's own
 * `anthropic-version` wins over the default, and `anthropic-beta` is forwarded.
 *
 * @see https://docs.anthropic.com/en/api/overview
 */
import { clientRequest } from '../client-request.js';
import { jsonGet, jsonPost } from '../json-request.js';
import { readModelList, unixSeconds } from '../model-list.js';
import type { ModelEntry, OperationHandler, Provider, ProviderConfig } from '../types.js';
import { anthropicErrorToOpenAI } from './anthropic-error.js';
import { usesJsonTool } from './anthropic-output-settings.js';
import { createAnthropicStreamConverter } from './anthropic-stream-converter.js';
import { convertAnthropicResponse } from './convert-anthropic-response.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

/** The API version sent when the client names none. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** Client headers Anthropic's API reads. */
const ANTHROPIC_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

function anthropicHeaders(forwarded: Record<string, string>, apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'anthropic-version': forwarded['anthropic-version'] ?? ANTHROPIC_VERSION };
  if (forwarded['anthropic-beta'] !== undefined) headers['anthropic-beta'] = forwarded['anthropic-beta'];
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  return headers;
}

/** Reads `{"data":[{"id","display_name","created_at"}]}`. */
function parseAnthropicModels(body: unknown): ModelEntry[] {
  return readModelList((body as { data?: unknown } | null)?.data, (model) =>
    typeof model.id === 'string' ? { id: model.id, owned_by: 'anthropic', created: unixSeconds(model.created_at), display_name: model.display_name } : undefined,
  );
}

/** Creates the adapter for Anthropic (`ANTHROPIC_BASE_URL`, `ANTHROPIC_API_KEY`). */
export function createAnthropicProvider(config: ProviderConfig): Provider {
  const { name } = config;
  // Chat is translated both ways; Messages, its token count and every other path are
  // Anthropic's own API, passed straight through (its own errors included).
  const chat: OperationHandler = {
    buildRequest(input) {
      const body = convertToAnthropicRequest(input.body, input.model, input.stream, name);
      const headers = anthropicHeaders(input.headers, input.apiKey);
      return jsonPost(`${config.baseURL}/v1/messages`, body, { ...headers, accept: input.stream ? 'text/event-stream' : 'application/json' });
    },
    convertResponse: (input, body) => convertAnthropicResponse(body, name, usesJsonTool(input.body)),
    createStreamConverter: (input) => createAnthropicStreamConverter(input, name),
    convertError: (status, body) => anthropicErrorToOpenAI(status, body),
  };
  const passthrough: OperationHandler = {
    buildRequest: (input) => clientRequest(`${config.baseURL}/v1${input.subpath}`, input, anthropicHeaders(input.headers, input.apiKey)),
  };
  return {
    config,
    forwardHeaders: ANTHROPIC_HEADERS,
    operations: { chat, messages: passthrough, count_tokens: passthrough, passthrough },
    buildModelsRequest: (apiKey) => jsonGet(`${config.baseURL}/v1/models?limit=1000`, anthropicHeaders({}, apiKey)),
    parseModels: parseAnthropicModels,
    convertModelsError: (status, body) => anthropicErrorToOpenAI(status, body),
  };
}
