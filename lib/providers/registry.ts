/**
 * The provider tables of every dialect, and the factories that turn a configured row
 * into an adapter. This is the one place that lists dialects; the rest of the gateway
 * only sees `Provider`.
 */
import { createAnthropicProvider } from './anthropic/provider.js';
import { AZURE_DEFAULT_API_VERSION, createAzureProvider } from './azure/provider.js';
import { createGeminiProvider } from './gemini/provider.js';
import { createOllamaProvider } from './ollama/provider.js';
import { OPENAI_COMPATIBLE_PROVIDERS } from './openai-compatible/table.js';
import { createOpenAICompatibleProvider } from './openai-compatible/provider.js';
import type { Provider, ProviderConfig } from './types.js';
import { messagesOverChat } from '../translate/messages-over-chat.js';
import { responsesOverChat } from '../translate/responses/responses-over-chat.js';

/** A built-in provider before its environment is read. */
export interface ProviderRow {
  name: string;
  dialect: string;
  /** The default base URL; empty when the provider has none and must be configured. */
  baseURL: string;
  /** True when the provider works without a key (local servers). */
  keyOptional?: boolean;
  /** Defaults of dialect settings (see {@link DIALECT_SETTINGS}) that differ for this provider. */
  settings?: Record<string, string>;
}

/**
 * Settings every provider of a dialect reads from `<NAME>_<SETTING>`, with their
 * defaults (a row may change a default): whether an OpenAI-style provider takes
 * `stream_options` (`on` or `off`), the field it takes the output token limit in
 * (`max_tokens` or `max_completion_tokens`), the client headers an OpenAI-style provider's
 * own docs add to OpenAI's (`FORWARD_HEADERS`, a comma list), whether it takes
 * `reasoning_content` back in assistant messages (`REASONING_HISTORY`, `on` or `off`),
 * the models that take a reasoning setting translated from another API (`REASONING_MODELS`,
 * name prefixes, see `reasoning-models.ts`), whether it serves `/responses` itself
 * (`RESPONSES`: `native`, `stateless` or `translated`), whether its own model ids start with a
 * vendor (`MODEL_IDS`: `prefixed`, as OpenRouter's `openai/gpt-4o`, or `plain`), Azure's `api-version`.
 */
export const DIALECT_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'openai-compatible': { STREAM_OPTIONS: 'on', MAX_TOKENS_FIELD: 'max_tokens', FORWARD_HEADERS: '', REASONING_HISTORY: 'off', REASONING_MODELS: '*', RESPONSES: 'translated', MODEL_IDS: 'plain' },
  azure: { STREAM_OPTIONS: 'on', MAX_TOKENS_FIELD: 'max_completion_tokens', API_VERSION: AZURE_DEFAULT_API_VERSION, REASONING_MODELS: '*', RESPONSES: 'native' },
  // https://ai.google.dev/gemini-api/docs/thinking: the 2.5 and 3 families think; 2.0 refuses thinkingConfig.
  gemini: { REASONING_MODELS: 'gemini-2.5,gemini-3,gemini-flash-latest,gemini-flash-lite-latest,gemini-pro-latest' },
  // https://ollama.com/search?c=thinking: a model without thinking refuses `think` with a 400.
  // Its /v1/responses (0.13.3 and later) is stateless and newer than /api/chat: translated unless OLLAMA_RESPONSES says so.
  ollama: { REASONING_MODELS: 'qwen3,deepseek-r1,deepseek-v3.1,gpt-oss,magistral,phi4-reasoning,cogito', RESPONSES: 'translated', ADMIN_API: 'off' },
};

/** Dialect name → adapter factory. */
export const DIALECTS: Readonly<Record<string, (config: ProviderConfig) => Provider>> = {
  'openai-compatible': createOpenAICompatibleProvider,
  azure: createAzureProvider,
  anthropic: createAnthropicProvider,
  gemini: createGeminiProvider,
  ollama: createOllamaProvider,
};

/** Every built-in provider, in the order `/v1/models` lists them. */
export const BUILTIN_PROVIDERS: readonly ProviderRow[] = [
  ...OPENAI_COMPATIBLE_PROVIDERS.map((row) => ({ ...row, dialect: 'openai-compatible' })),
  // https://learn.microsoft.com/azure/ai-services/openai/reference: the resource URL is per customer.
  { name: 'azure', dialect: 'azure', baseURL: '' },
  // https://docs.anthropic.com/en/api/overview
  { name: 'anthropic', dialect: 'anthropic', baseURL: 'https://api.anthropic.com' },
  // https://ai.google.dev/api
  { name: 'gemini', dialect: 'gemini', baseURL: 'https://generativelanguage.googleapis.com' },
  // https://github.com/ollama/ollama/blob/main/docs/api.md: a local server, no key.
  { name: 'ollama', dialect: 'ollama', baseURL: 'http://127.0.0.1:11434', keyOptional: true },
];

/**
 * Builds the adapters for the configured providers, keyed by name. Every provider that
 * chats but does not speak Messages gets `/v1/messages` through the translation, and every
 * one that does not serve Responses gets `/v1/responses` the same way.
 */
export function createProviders(configs: readonly ProviderConfig[]): Map<string, Provider> {
  return new Map(configs.map((config) => [config.name, responsesOverChat(messagesOverChat(DIALECTS[config.dialect](config)))]));
}
