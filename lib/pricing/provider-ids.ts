/**
 * Which provider of the price table (`@pydantic/genai-prices`, its `providerId`) bills each
 * of the gateway's built-in providers. A provider not listed here (Ollama, which runs on
 * your own machine; NVIDIA, which the table does not list; a custom `GATEWAY_PROVIDERS`
 * entry) has no price unless `GATEWAY_PRICES` gives one: its answers count as unpriced,
 * never as $0.
 */
export const PRICE_TABLE_PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  groq: 'groq',
  mistral: 'mistral',
  together: 'together',
  fireworks: 'fireworks',
  deepseek: 'deepseek',
  openrouter: 'openrouter',
  cerebras: 'cerebras',
  xai: 'x-ai',
  perplexity: 'perplexity',
  azure: 'azure',
};
