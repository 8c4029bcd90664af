/**
 * Azure OpenAI: OpenAI's format on a per-resource URL. The model names the deployment
 * (`{base}/openai/deployments/{deployment}/chat/completions`), every request carries
 * `api-version` in its query and the key goes in `api-key`. Bodies and answers are
 * OpenAI's and pass through untouched.
 *
 * @see https://learn.microsoft.com/azure/ai-services/openai/reference
 */
import { GatewayError } from '../../errors.js';
import { clientRequest } from '../client-request.js';
import { jsonGet } from '../json-request.js';
import { modelPathSegment } from '../model-path-segment.js';
import { maxTokensField, parseOpenAIModels, refusedFields, responsesMode } from '../openai-compatible/provider.js';
import type { CallInput, OperationHandler, Provider, ProviderConfig } from '../types.js';
import { reasoningModels } from '../reasoning-models.js';

/** The data-plane version used when `AZURE_API_VERSION` is not set (the latest GA one). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

const apiKeyHeader = (key: string | undefined): Record<string, string> => (key === undefined ? {} : { 'api-key': key });

/** `path` with the query `query` plus `api-version`, unless the client set its own. */
function withApiVersion(path: string, query: string, apiVersion: string): string {
  const params = new URLSearchParams(query);
  if (!params.has('api-version')) params.set('api-version', apiVersion);
  return `${path}?${params.toString()}`;
}

function splitSubpath(subpath: string): { path: string; query: string } {
  const at = subpath.indexOf('?');
  return at === -1 ? { path: subpath, query: '' } : { path: subpath.slice(0, at), query: subpath.slice(at + 1) };
}

/** Creates the adapter for Azure OpenAI (`AZURE_BASE_URL`, `AZURE_API_KEY`, `AZURE_API_VERSION`). */
export function createAzureProvider(config: ProviderConfig): Provider {
  const apiVersion = config.settings.API_VERSION || AZURE_DEFAULT_API_VERSION;
  const refused = refusedFields(config);
  const base = () => {
    if (config.baseURL !== '') return `${config.baseURL}/openai`;
    throw new GatewayError({
      status: 400,
      message: `Provider ${config.name} has no resource URL: set ${config.name.toUpperCase()}_BASE_URL (e.g. https://NAME.openai.azure.com)`,
      code: 'provider_not_configured',
      provider: config.name,
    });
  };
  const sent = (url: (input: CallInput) => string): OperationHandler => ({
    buildRequest: (input) => clientRequest(url(input), input, apiKeyHeader(input.apiKey), refused),
  });
  /** Chat, completions and embeddings go to the deployment the model names. */
  const deployment = sent((input) => {
    const { path, query } = splitSubpath(input.subpath);
    return base() + withApiVersion(`/deployments/${modelPathSegment(input.model, config.name)}${path}`, query, apiVersion);
  });
  const passthrough = sent((input) => {
    const { path, query } = splitSubpath(input.subpath);
    return base() + withApiVersion(path, query, apiVersion);
  });
  return {
    config,
    forwardHeaders: [],
    maxTokensField: maxTokensField(config),
    reasons: reasoningModels(config.settings.REASONING_MODELS),
    operations: {
      chat: deployment,
      completions: deployment,
      embeddings: deployment,
      passthrough,
      // The Responses API lives on Azure's v1 API, which takes no api-version; the model names the deployment.
      // https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses
      ...(responsesMode(config) === 'translated' ? {} : { responses: sent((input) => `${base()}/v1${input.subpath}`) }),
    },
    buildModelsRequest: (apiKey) => jsonGet(base() + withApiVersion('/models', '', apiVersion), apiKeyHeader(apiKey)),
    parseModels: parseOpenAIModels,
  };
}
