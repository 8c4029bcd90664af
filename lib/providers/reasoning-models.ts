/**
 * Which of a provider's models take a reasoning setting that the gateway translated from
 * another API: a Messages client's `thinking` or `output_config.effort` (Claude Code sends
 * them on every request) becomes chat's `reasoning_effort`, and from there Gemini's
 * `thinkingConfig` or Ollama's `think`; a model without reasoning refuses them with a 400
 * (OpenAI's gpt-4o, Gemini 2.0, Ollama's llama3.2). `<NAME>_REASONING_MODELS` lists the model
 * name prefixes that reason (`*` for all, empty for none); for the others the setting is
 * left out and the model answers without reasoning. A client that sends `reasoning_effort`
 * on chat itself is never second-guessed.
 */

/** `REASONING_MODELS` as a test on a model name. */
export function reasoningModels(setting: string | undefined): (model: string | undefined) => boolean {
  const prefixes = (setting ?? '*').split(',').map((prefix) => prefix.trim().toLowerCase()).filter((prefix) => prefix.length > 0);
  if (prefixes.includes('*')) return () => true;
  return (model) => {
    const name = (model ?? '').toLowerCase();
    // `models/gemini-2.5-pro` and `openai/o3` count by their last part as well.
    const last = name.slice(name.lastIndexOf('/') + 1);
    return prefixes.some((prefix) => name.startsWith(prefix) || last.startsWith(prefix));
  };
}
