/**
 * Google's Generative Language API (Gemini). Chat completions go to
 * `models/{model}:generateContent` (`:streamGenerateContent?alt=sse` for streams) and
 * embeddings to `:batchEmbedContents`, translated both ways; any other path passes
 * through to `{base}/v1beta`. The key goes in `x-goog-api-key`, never in the query.
 *
 * @see https://ai.google.dev/api
 */
import { clientRequest } from '../client-request.js';
import { jsonGet, jsonPost } from '../json-request.js';
import { readModelList } from '../model-list.js';
import { modelPathSegment } from '../model-path-segment.js';
import { readEmbeddingsRequest } from '../openai-format/embeddings.js';
import type { CallInput, ModelEntry, OperationHandler, Provider, ProviderConfig } from '../types.js';
import { convertGeminiEmbeddings, convertToGeminiEmbeddings } from './gemini-embeddings.js';
import { convertGeminiError } from './gemini-error.js';
import { convertGeminiResponse } from './convert-gemini-response.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { createGeminiStreamConverter } from './gemini-stream-converter.js';
import { reasoningModels } from '../reasoning-models.js';

const keyHeader = (apiKey: string | undefined): Record<string, string> => (apiKey === undefined ? {} : { 'x-goog-api-key': apiKey });

/** Reads `{"models":[{"name":"models/…"}]}`; ids lose the `models/` prefix. */
function parseGeminiModels(body: unknown): ModelEntry[] {
  return readModelList((body as { models?: unknown } | null)?.models, (model) =>
    typeof model.name === 'string'
      ? { id: model.name.replace(/^models\//, ''), owned_by: 'google', display_name: model.displayName, context_window: model.inputTokenLimit, max_output_tokens: model.outputTokenLimit }
      : undefined,
  );
}

/** Creates the adapter for Gemini (`GEMINI_BASE_URL`, `GEMINI_API_KEY`). */
export function createGeminiProvider(config: ProviderConfig): Provider {
  const { name } = config;
  const modelURL = (input: CallInput, method: string) => `${config.baseURL}/v1beta/models/${modelPathSegment(input.model, name)}:${method}`;
  const convertError = (status: number, body: Uint8Array) => convertGeminiError(status, body);
  const chat: OperationHandler = {
    buildRequest(input) {
      const url = input.stream ? `${modelURL(input, 'streamGenerateContent')}?alt=sse` : modelURL(input, 'generateContent');
      return jsonPost(url, convertToGeminiRequest(input.body, name), keyHeader(input.apiKey));
    },
    convertResponse: (input, body) => convertGeminiResponse(body, input.model, name),
    createStreamConverter: (input) => createGeminiStreamConverter(input, name),
    convertError,
  };
  const embeddings: OperationHandler = {
    buildRequest: (input) =>
      jsonPost(modelURL(input, 'batchEmbedContents'), convertToGeminiEmbeddings(readEmbeddingsRequest(input.body), input.model as string), keyHeader(input.apiKey)),
    convertResponse: (input, body) => convertGeminiEmbeddings(body, readEmbeddingsRequest(input.body), input.model ?? '', name),
    convertError,
  };
  // Any other path is Gemini's own API, its errors included.
  const passthrough: OperationHandler = { buildRequest: (input) => clientRequest(`${config.baseURL}/v1beta${input.subpath}`, input, keyHeader(input.apiKey)) };
  return {
    config,
    forwardHeaders: [],
    reasons: reasoningModels(config.settings.REASONING_MODELS),
    operations: { chat, embeddings, passthrough },
    buildModelsRequest: (apiKey) => jsonGet(`${config.baseURL}/v1beta/models?pageSize=1000`, keyHeader(apiKey)),
    parseModels: parseGeminiModels,
    convertModelsError: convertError,
  };
}
