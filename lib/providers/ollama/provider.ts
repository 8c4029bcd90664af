/**
 * Ollama's native API. Chat completions go to `/api/chat` (its NDJSON stream becomes
 * OpenAI SSE), embeddings to `/api/embed`, the models list to `/api/tags`; any other
 * path passes through, to `{base}/api` for a native API name and to Ollama's own
 * OpenAI-compatible `{base}/v1` otherwise. A local Ollama needs no key; when one is set
 * (a remote Ollama behind a proxy, ollama.com) it goes as a Bearer token.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md
 */
import { GatewayError } from '../../errors.js';
import { clientRequest } from '../client-request.js';
import { jsonGet, jsonPost } from '../json-request.js';
import { readModelList, unixSeconds } from '../model-list.js';
import { bearer, responsesMode } from '../openai-compatible/provider.js';
import { readEmbeddingsRequest } from '../openai-format/embeddings.js';
import type { ModelEntry, OperationHandler, Provider, ProviderConfig } from '../types.js';
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

/**
 * Ollama's model management: pulling, pushing, creating, copying and deleting models. A gateway
 * reachable from the network would hand them to anyone (Ollama needs no key), so they pass
 * through only with `OLLAMA_ADMIN_API=on`.
 */
const ADMIN = new Set(['pull', 'push', 'create', 'copy', 'delete', 'blobs']);

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
  const convertError = (status: number, body: Uint8Array) => convertOllamaError(status, body);
  const chat: OperationHandler = {
    buildRequest: (input) => jsonPost(`${baseURL}/api/chat`, convertToOllamaRequest(input.body, input.model, input.stream, name), keyHeader(input.apiKey)),
    convertResponse: (input, body) => convertOllamaResponse(body, input.model, name),
    createStreamConverter: (input) => createOllamaStreamConverter(input, name),
    convertError,
    streamFraming: 'ndjson',
  };
  const embeddings: OperationHandler = {
    buildRequest: (input) => jsonPost(`${baseURL}/api/embed`, convertToOllamaEmbeddings(readEmbeddingsRequest(input.body), input.model), keyHeader(input.apiKey)),
    convertResponse: (input, body) => convertOllamaEmbeddings(body, readEmbeddingsRequest(input.body), input.model, name),
    convertError,
  };
  // Its own API (native names under /api, anything else under its OpenAI-compatible /v1), errors included.
  const adminAllowed = config.settings.ADMIN_API === 'on';
  const passthrough: OperationHandler = {
    buildRequest(input) {
      const first = /^\/([^/?#]+)/.exec(input.subpath)?.[1];
      if (!adminAllowed && first !== undefined && ADMIN.has(first)) {
        throw new GatewayError({
          status: 403,
          message: `Ollama's model management API (/${first}) is not passed through; set ${name.toUpperCase()}_ADMIN_API=on to allow it`,
          code: 'admin_api_refused',
        });
      }
      return clientRequest(`${baseURL}${passthroughRoot(input.subpath)}${input.subpath}`, input, keyHeader(input.apiKey));
    },
  };
  return {
    config,
    forwardHeaders: [],
    // Ollama's assistant messages take their `thinking` back.
    reasoningInHistory: true,
    reasons: reasoningModels(config.settings.REASONING_MODELS),
    // Its own stateless /v1/responses (Ollama 0.13.3 and later) only when OLLAMA_RESPONSES says so;
    // by default Responses are translated over /api/chat, which every Ollama has.
    operations: { chat, embeddings, passthrough, ...(responsesMode(config) === 'translated' ? {} : { responses: passthrough }) },
    buildModelsRequest: (apiKey) => jsonGet(`${baseURL}/api/tags`, keyHeader(apiKey)),
    parseModels: parseOllamaModels,
    convertModelsError: convertError,
  };
}
