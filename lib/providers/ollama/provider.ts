/**
 * Ollama's native API. Chat completions go to `/api/chat` (its NDJSON stream becomes
 * OpenAI SSE), embeddings to `/api/embed`, the models list to `/api/tags`; any other
 * path passes through, to `{base}/api` for a native API name and to Ollama's own
 * OpenAI-compatible `{base}/v1` otherwise. A local Ollama needs no key; when one is set
 * (a remote Ollama behind a proxy, ollama.com) it goes as a Bearer token.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md
 */
import { clientRequest } from '../client-request.js';
import { jsonGet, jsonPost } from '../json-request.js';
import { readModelList, unixSeconds } from '../model-list.js';
import { bearer } from '../openai-compatible/provider.js';
import { readEmbeddingsRequest } from '../openai-format/embeddings.js';
import type { ModelEntry, Provider, ProviderConfig } from '../types.js';
import { convertOllamaResponse } from './convert-ollama-response.js';
import { convertToOllamaRequest } from './convert-to-ollama-request.js';
import { convertOllamaEmbeddings, convertToOllamaEmbeddings } from './ollama-embeddings.js';
import { convertOllamaError } from './ollama-error.js';
import { createOllamaStreamConverter } from './ollama-stream-converter.js';
import { reasoningModels } from '../reasoning-models.js';

/**
 * Ollama's native API names (`/v1/tags` reaches `/api/tags`); any other path goes to its
 * OpenAI-compatible API under `/v1` (`/v1/responses`, `/v1/models/{name}`…).
 * @see https://github.com/ollama/ollama/blob/main/docs/openai.md
 */
const NATIVE = new Set(['tags', 'show', 'ps', 'pull', 'push', 'create', 'copy', 'delete', 'generate', 'version', 'blobs', 'embed']);

function passthroughRoot(subpath: string): '/api' | '/v1' {
  const first = /^\/([^/?#]+)/.exec(subpath)?.[1];
  return first !== undefined && NATIVE.has(first) ? '/api' : '/v1';
}

const keyHeader = (apiKey: string | undefined): Record<string, string> => (apiKey === undefined ? {} : bearer(apiKey));

/** Reads `{"models":[{"name","modified_at"}]}`. */
function parseOllamaModels(body: unknown): ModelEntry[] {
  return readModelList((body as { models?: unknown } | null)?.models, (model) =>
    typeof model.name === 'string' ? { id: model.name, owned_by: 'ollama', created: unixSeconds(model.modified_at), details: model.details } : undefined,
  );
}

/** Creates the adapter for Ollama (`OLLAMA_BASE_URL`, optional `OLLAMA_API_KEY`). */
export function createOllamaProvider(config: ProviderConfig): Provider {
  const { name, baseURL } = config;
  return {
    config,
    forwardHeaders: [],
    streamFraming: 'ndjson',
    // Ollama's assistant messages take their `thinking` back.
    reasoningInHistory: true,
    reasons: reasoningModels(config.settings.REASONING_MODELS),
    supports: (operation) => operation === 'chat' || operation === 'embeddings' || operation === 'passthrough',
    buildRequest(input) {
      const key = keyHeader(input.apiKey);
      if (input.operation === 'chat') return jsonPost(`${baseURL}/api/chat`, convertToOllamaRequest(input.body, input.model, input.stream, name), key);
      if (input.operation === 'embeddings') return jsonPost(`${baseURL}/api/embed`, convertToOllamaEmbeddings(readEmbeddingsRequest(input.body), input.model), key);
      return clientRequest(`${baseURL}${passthroughRoot(input.subpath)}${input.subpath}`, input, key);
    },
    convertResponse(input, body) {
      if (input.operation === 'chat') return convertOllamaResponse(body, input.model, name);
      if (input.operation === 'embeddings') return convertOllamaEmbeddings(body, readEmbeddingsRequest(input.body), input.model, name);
      return undefined;
    },
    createStreamConverter: (input) => (input.operation === 'chat' ? createOllamaStreamConverter(input, name) : undefined),
    convertError: (status, body, input) => (input?.operation === 'passthrough' ? undefined : convertOllamaError(status, body)),
    buildModelsRequest: (apiKey) => jsonGet(`${baseURL}/api/tags`, keyHeader(apiKey)),
    parseModels: parseOllamaModels,
  };
}
