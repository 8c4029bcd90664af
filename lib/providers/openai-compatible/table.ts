/**
 * The OpenAI-compatible providers, one row each: name and the base URL their own
 * docs give for OpenAI's SDK. Adding a provider of this kind is one row here.
 * `<NAME>_BASE_URL` and `<NAME>_API_KEY` override and supply the rest.
 */

/** One provider that speaks OpenAI's API. */
export interface OpenAICompatibleRow {
  name: string;
  baseURL: string;
  /** Defaults of the dialect's settings that differ for this provider. */
  settings?: Record<string, string>;
}

export const OPENAI_COMPATIBLE_PROVIDERS: readonly OpenAICompatibleRow[] = [
  // https://platform.openai.com/docs/api-reference (reasoning models refuse `max_tokens`)
  // (reasoning_effort only for its reasoning models: gpt-4o and gpt-4.1 refuse it)
  { name: 'openai', baseURL: 'https://api.openai.com/v1', settings: { MAX_TOKENS_FIELD: 'max_completion_tokens', REASONING_MODELS: 'o1,o3,o4,gpt-5,codex', RESPONSES: 'native' } },
  // https://console.groq.com/docs/openai
  // (its /responses is stateless: https://console.groq.com/docs/responses-api)
  { name: 'groq', baseURL: 'https://api.groq.com/openai/v1', settings: { RESPONSES: 'stateless' } },
  // https://docs.mistral.ai/api/ (refuses `stream_options` with a 422; its last stream chunk carries usage unasked)
  { name: 'mistral', baseURL: 'https://api.mistral.ai/v1', settings: { STREAM_OPTIONS: 'off' } },
  // https://docs.together.ai/docs/openai-api-compatibility
  { name: 'together', baseURL: 'https://api.together.xyz/v1' },
  // https://docs.fireworks.ai/tools-sdks/openai-compatibility
  { name: 'fireworks', baseURL: 'https://api.fireworks.ai/inference/v1' },
  // https://api-docs.deepseek.com/ (the `/v1` form is accepted as well; reasoning_content
  // goes back within a tool loop: https://api-docs.deepseek.com/guides/thinking_mode)
  { name: 'deepseek', baseURL: 'https://api.deepseek.com/v1', settings: { REASONING_HISTORY: 'on' } },
  // https://openrouter.ai/docs/quickstart (app attribution in `HTTP-Referer` and `X-Title`;
  // its Responses API is stateless: https://openrouter.ai/docs/api-reference/responses-api/overview)
  { name: 'openrouter', baseURL: 'https://openrouter.ai/api/v1', settings: { FORWARD_HEADERS: 'http-referer,x-title', RESPONSES: 'stateless', MODEL_IDS: 'prefixed' } },
  // https://inference-docs.cerebras.ai/resources/openai
  { name: 'cerebras', baseURL: 'https://api.cerebras.ai/v1' },
  // https://docs.x.ai/docs/api-reference
  { name: 'xai', baseURL: 'https://api.x.ai/v1', settings: { RESPONSES: 'native' } },
  // https://docs.perplexity.ai/guides/chat-completions-guide (no `/v1` in its base URL)
  { name: 'perplexity', baseURL: 'https://api.perplexity.ai' },
  // https://docs.api.nvidia.com/nim/reference/llm-apis
  { name: 'nvidia', baseURL: 'https://integrate.api.nvidia.com/v1' },
];
